import { linkTo } from '../routing';
import { useLineage } from './use-lineage';

/** Where an image came from: each edit back to the original, oldest first, each one a link. */
export function Lineage({ assetId, hrefOf }: { assetId: string; hrefOf: (id: string) => string }) {
  const chain = useLineage(assetId);
  if (chain.length < 2) return null;
  return (
    <nav className="panel" aria-label="Lineage">
      <h2>Lineage</h2>
      <ol className="lineage">
        {chain.map((asset, i) => (
          <li key={asset.id}>
            <a {...linkTo(hrefOf(asset.id))} aria-current={asset.id === assetId ? 'true' : undefined}>
              <img src={asset.url} alt={`Lineage step ${i + 1}`} />
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
