import type { GalleryAssetFieldsFragment } from '../gql/graphql';
import { linkTo } from '../routing';

/** One asset in the gallery: its picture, what made it, and a link to its page. */
export function AssetCard({ asset, score }: { asset: GalleryAssetFieldsFragment; score?: number }) {
  const what = asset.prompt ?? `${asset.source} image`;
  return (
    <li className="card">
      <a className="thumb" {...linkTo(`/gallery/${encodeURIComponent(asset.id)}`)}>
        <img src={asset.url} alt={what} width={asset.width} height={asset.height} loading="lazy" />
      </a>
      <div className="card-body small">
        <p className="card-title clamp">{what}</p>
        <p className="note">
          {asset.source}
          {asset.generator ? ` · ${asset.generator}` : ''}
          {score === undefined ? '' : ` · match ${score.toFixed(3)}`}
        </p>
      </div>
    </li>
  );
}
