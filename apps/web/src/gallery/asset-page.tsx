import { useQuery } from 'urql';
import { Lineage } from '../edit/lineage';
import { errorText } from '../graphql/errors';
import { AssetQuery } from '../images/documents';
import { linkTo } from '../routing';
import { Alert } from '../ui/alert';
import { ScoreBar } from '../ui/score-bar';
import { CaptionByRetrievalQuery } from './documents';
import { StoredCaptions } from './stored-captions';

const CAPTIONS = 5;
const galleryHref = (id: string): string => `/gallery/${encodeURIComponent(id)}`;

function formatValue(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toFixed(4))) : JSON.stringify(value);
}

/** One asset: the picture, its prompt and scores, its stored captions, captions by retrieval, its lineage. */
export function AssetPage({ id }: { id: string }) {
  const [{ data, fetching, error }] = useQuery({ query: AssetQuery, variables: { id } });
  const asset = data?.asset;
  if (error) return <Alert>{errorText(error)}</Alert>;
  if (!asset) return fetching ? <p className="note">Loading…</p> : <Alert>There is no asset {id}.</Alert>;
  const q = `?asset=${encodeURIComponent(id)}`;
  return (
    <section className="view" aria-labelledby="asset-title">
      <h1 id="asset-title" className="clamp">
        {asset.prompt ?? `An ${asset.source} image`}
      </h1>
      <div className="asset-layout">
        <div className="panel">
          <img
            className="asset-image"
            src={asset.url}
            alt={asset.prompt ?? `${asset.source} image`}
            width={asset.width}
            height={asset.height}
          />
          <p className="image-links">
            <a {...linkTo(`/edit${q}`)}>Edit this image</a>
            <a {...linkTo(`/moderate${q}`)}>Moderate this image</a>
            <a {...linkTo(`/captions${q}`)}>Score captions</a>
            <a {...linkTo(`/gallery?similar=${encodeURIComponent(id)}`)}>Find similar</a>
          </p>
        </div>
        <div>
          <section className="panel" aria-label="Facts">
            <dl className="facts">
              <dt>source</dt>
              <dd>{asset.source}</dd>
              {asset.generator ? (
                <>
                  <dt>generator</dt>
                  <dd>{asset.generator}</dd>
                </>
              ) : null}
              {asset.seed === null || asset.seed === undefined ? null : (
                <>
                  <dt>seed</dt>
                  <dd>{asset.seed}</dd>
                </>
              )}
              <dt>size</dt>
              <dd>
                {asset.width} × {asset.height}
              </dd>
              <dt>created</dt>
              <dd>{new Date(asset.createdAt).toLocaleString()}</dd>
              {Object.entries((asset.scores ?? {}) as Record<string, unknown>).map(([k, v]) => (
                <Fact key={k} name={k} value={formatValue(v)} />
              ))}
            </dl>
          </section>
          <StoredCaptions id={id} />
          <RetrievedCaptions id={id} />
        </div>
      </div>
      <Lineage assetId={id} hrefOf={galleryHref} />
    </section>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** Captions for the image by retrieval: the nearest captions of the server's corpus. */
function RetrievedCaptions({ id }: { id: string }) {
  const [{ data, error }] = useQuery({
    query: CaptionByRetrievalQuery,
    variables: { image: { assetId: id }, k: CAPTIONS },
  });
  return (
    <section className="panel" aria-labelledby="retrieved-title">
      <h2 id="retrieved-title">Captions by retrieval</h2>
      {error ? <Alert>{errorText(error)}</Alert> : null}
      {data ? (
        <ol className="captions">
          {data.captionByRetrieval.captions.map((c) => (
            <li key={c.caption}>
              <ScoreBar label={c.caption} value={c.score} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="note">Looking…</p>
      )}
    </section>
  );
}
