import { useState } from 'react';
import { useQuery } from 'urql';
import { useRun } from '../graphql/use-run';
import { AssetQuery } from '../images/documents';
import { ImageLinks } from '../images/image-links';
import { ImagePicker } from '../images/image-picker';
import { navigate, useLocation } from '../routing';
import { Alert } from '../ui/alert';
import { CaptionScoreBars } from './caption-score-bars';
import { ScoreCaptionsMutation } from './documents';

const captionsHref = (id: string): string => `/captions?asset=${encodeURIComponent(id)}`;
const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** How well captions fit an image: CLIPScore for each, RefCLIPScore where references are given. */
export function CaptionsView() {
  const assetId = useLocation().params.get('asset');
  return (
    <section className="view" aria-labelledby="captions-title">
      <h1 id="captions-title">Captions</h1>
      {assetId ? (
        <CaptionsWorkspace key={assetId} assetId={assetId} />
      ) : (
        <ImagePicker label="Image to caption" onPick={(image) => navigate(captionsHref(image.id))} />
      )}
    </section>
  );
}

function CaptionsWorkspace({ assetId }: { assetId: string }) {
  const [{ data, fetching }] = useQuery({ query: AssetQuery, variables: { id: assetId } });
  const [captions, setCaptions] = useState('');
  const [references, setReferences] = useState('');
  const [keep, setKeep] = useState(false);
  const run = useRun(ScoreCaptionsMutation);
  const image = data?.asset;
  if (!image)
    return fetching ? <p className="note">Loading…</p> : <Alert>There is no asset {assetId}.</Alert>;
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    const refs = lines(references);
    run.start({
      input: {
        items: lines(captions).map((caption) => ({
          image: { assetId },
          caption,
          references: refs.length > 0 ? refs : null,
        })),
        store: keep,
      },
    });
  };
  const scores = run.status === 'succeeded' ? (run.data?.scoreCaptions ?? []) : [];
  const best = Math.max(...scores.map((s) => s.clipScore));
  return (
    <div className="edit-layout">
      <div className="panel source">
        <img src={image.url} alt="Image to caption" width={image.width} height={image.height} />
        {image.prompt ? <p className="note">{image.prompt}</p> : null}
        <ImageLinks id={assetId} />
      </div>
      <div>
        <form className="panel form" onSubmit={submit}>
          <label className="field wide">
            <span>Captions (one per line)</span>
            <textarea rows={4} value={captions} onChange={(e) => setCaptions(e.target.value)} required />
          </label>
          <label className="field wide">
            <span>References (one per line, optional: adds RefCLIPScore)</span>
            <textarea rows={2} value={references} onChange={(e) => setReferences(e.target.value)} />
          </label>
          <label className="check wide">
            <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
            Keep them on the image (its page lists them)
          </label>
          <div className="actions wide">
            <button type="submit" className="primary" disabled={run.status === 'running'}>
              Score captions
            </button>
          </div>
        </form>
        {run.error ? <Alert>{run.error}</Alert> : null}
        {scores.length > 0 ? (
          <section className="panel" aria-label="Caption scores">
            <ol className="caption-scores">
              {scores.map((s, i) => (
                <li key={i} className={s.clipScore === best ? 'best' : undefined}>
                  <p>
                    {s.caption}
                    {s.clipScore === best && scores.length > 1 ? (
                      <span className="tag good">best</span>
                    ) : null}
                  </p>
                  <CaptionScoreBars clipScore={s.clipScore} refClipScore={s.refClipScore} />
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </div>
    </div>
  );
}
