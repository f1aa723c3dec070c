import { useQuery } from 'urql';
import { errorText } from '../graphql/errors';
import { linkTo } from '../routing';
import { Alert } from '../ui/alert';
import { CaptionScoreBars } from '../captions/caption-score-bars';
import { StoredCaptionsQuery } from './documents';

/** The captions scored on this image and kept on it (the Captions view keeps them when asked), oldest first. */
export function StoredCaptions({ id }: { id: string }) {
  const [{ data, error }] = useQuery({ query: StoredCaptionsQuery, variables: { id } });
  const captions = data?.asset?.captions;
  return (
    <section className="panel" aria-labelledby="stored-title">
      <h2 id="stored-title">Stored captions</h2>
      {error ? <Alert>{errorText(error)}</Alert> : null}
      {!captions ? (
        error ? null : (
          <p className="note">Loading…</p>
        )
      ) : captions.length === 0 ? (
        <p className="note">
          None yet: <a {...linkTo(`/captions?asset=${encodeURIComponent(id)}`)}>score captions</a> and keep
          them on the image.
        </p>
      ) : (
        <ol className="caption-scores">
          {captions.map((c, i) => (
            <li key={i}>
              <p>{c.caption}</p>
              <CaptionScoreBars clipScore={c.clipScore} refClipScore={c.refClipScore} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
