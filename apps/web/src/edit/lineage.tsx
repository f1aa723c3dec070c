import { useQuery } from 'urql';
import { linkTo } from '../routing';
import { LineageEditsQuery } from './documents';
import { useLineage } from './use-lineage';

/** How many of an image's edits to show: lineage is for looking, not a full history. */
const EDITS_SHOWN = 12;

/**
 * Where an image came from and what was made from it: each edit back to the original, oldest first,
 * then its edits, the masks they were confined to and its heat maps; each one a link.
 */
export function Lineage({ assetId, hrefOf }: { assetId: string; hrefOf: (id: string) => string }) {
  const chain = useLineage(assetId);
  const [{ data }] = useQuery({ query: LineageEditsQuery, variables: { id: assetId, first: EDITS_SHOWN } });
  const edits = data?.assets;
  if (chain.length < 2 && !edits?.totalCount) return null;
  return (
    <nav className="panel" aria-label="Lineage">
      <h2>Lineage</h2>
      {chain.length < 2 ? null : (
        <ol className="lineage" aria-label="From the original">
          {chain.map((asset, i) => (
            <li key={asset.id}>
              <a {...linkTo(hrefOf(asset.id))} aria-current={asset.id === assetId ? 'true' : undefined}>
                <img src={asset.url} alt={`Lineage step ${i + 1}`} />
              </a>
            </li>
          ))}
        </ol>
      )}
      {edits?.totalCount ? (
        <>
          <h3>Made from this image</h3>
          <ul className="lineage made" aria-label="Made from this image">
            {edits.edges.map(({ node }) => {
              const kind = kindOf(node);
              return (
                <li key={node.id}>
                  <a {...linkTo(hrefOf(node.id))} title={node.prompt ?? undefined}>
                    <img src={node.url} alt={`${KINDS[kind]}: ${node.prompt ?? 'no instruction'}`} />
                    <small>{kind}</small>
                  </a>
                </li>
              );
            })}
          </ul>
          {edits.totalCount > edits.edges.length ? (
            <p className="note">and {edits.totalCount - edits.edges.length} more</p>
          ) : null}
        </>
      ) : null}
    </nav>
  );
}

type Kind = 'edit' | 'mask' | 'heat map';

/** How each kind is named in its image's text. */
const KINDS: Record<Kind, string> = { edit: 'Edited', mask: 'Mask for', 'heat map': 'Heat map of' };

/** Masks are stored as edits of their source (see the API's edit service), marked by their parameters. */
function kindOf(asset: { source: string; parameters?: unknown }): Kind {
  if (asset.source === 'heatmap') return 'heat map';
  return (asset.parameters as { kind?: unknown } | null)?.kind === 'edit-mask' ? 'mask' : 'edit';
}
