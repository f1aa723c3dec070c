import { useState } from 'react';
import { useQuery } from 'urql';
import { useRun } from '../graphql/use-run';
import { AssetQuery } from '../images/documents';
import { ImagePicker } from '../images/image-picker';
import { linkTo, navigate, useLocation } from '../routing';
import { Alert } from '../ui/alert';
import { ProgressBar } from '../ui/progress';
import { ScoreBar } from '../ui/score-bar';
import { ModerateMutation } from './documents';
import { ModerationOverlay } from './overlay';
import { EXAMPLE_RULE, policyOf, RuleEditor, type RuleDraft } from './rule-editor';

const moderateHref = (id: string): string => `/moderate?asset=${encodeURIComponent(id)}`;

/** Check an image against rules in words: per-rule scores and verdicts, the heat map, the regions. */
export function ModerateView() {
  const assetId = useLocation().params.get('asset');
  const [rules, setRules] = useState<RuleDraft[]>([EXAMPLE_RULE]);
  return (
    <section className="view" aria-labelledby="moderate-title">
      <h1 id="moderate-title">Moderate</h1>
      {assetId ? (
        <ModerateWorkspace key={assetId} assetId={assetId} rules={rules} setRules={setRules} />
      ) : (
        <ImagePicker label="Image to moderate" onPick={(image) => navigate(moderateHref(image.id))} />
      )}
    </section>
  );
}

function ModerateWorkspace({
  assetId,
  rules,
  setRules,
}: {
  assetId: string;
  rules: RuleDraft[];
  setRules: (rules: RuleDraft[]) => void;
}) {
  const [{ data, fetching }] = useQuery({ query: AssetQuery, variables: { id: assetId } });
  const [showHeatmap, setShowHeatmap] = useState(true);
  const run = useRun(ModerateMutation);
  const image = data?.asset;
  if (!image)
    return fetching ? <p className="note">Loading…</p> : <Alert>There is no asset {assetId}.</Alert>;
  const result = run.status === 'succeeded' ? run.data?.moderate : null;
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    run.start({ image: { assetId }, policy: policyOf(rules) });
  };
  return (
    <div className="moderate-layout">
      <form onSubmit={submit}>
        <RuleEditor rules={rules} onChange={setRules} />
        <div className="actions">
          <button type="submit" className="primary" disabled={run.status === 'running'}>
            Moderate
          </button>
          <a {...linkTo('/moderate')}>choose another image</a>
        </div>
        {run.status === 'running' ? <ProgressBar label="Moderating" progress={null} /> : null}
        {run.error ? <Alert>{run.error}</Alert> : null}
      </form>
      <div>
        {result ? (
          <>
            <ModerationOverlay image={image} result={result} showHeatmap={showHeatmap} />
            <label className="check">
              <input
                type="checkbox"
                checked={showHeatmap}
                onChange={(e) => setShowHeatmap(e.target.checked)}
              />
              Show the heat map
            </label>
            <section className="panel verdicts" aria-label="Verdicts">
              <h2>{result.flagged ? 'Flagged' : 'Nothing flagged'}</h2>
              {result.rules.map((rule) => (
                <div key={rule.name} className="verdict-row">
                  <p>
                    <strong>{rule.name}</strong>{' '}
                    <span className={rule.flagged ? 'tag bad' : 'tag good'}>
                      {rule.flagged ? 'flagged' : 'passes'}
                    </span>
                  </p>
                  <ScoreBar
                    label="score"
                    value={rule.score}
                    marker={rule.threshold}
                    tone={rule.flagged ? 'bad' : 'good'}
                  />
                  <ScoreBar label="whole image" value={rule.imageScore} marker={rule.threshold} />
                  <ScoreBar label="best window" value={rule.windowScore} marker={rule.threshold} />
                </div>
              ))}
            </section>
          </>
        ) : (
          <figure className="overlay">
            <img src={image.url} alt="Moderated image" width={image.width} height={image.height} />
          </figure>
        )}
      </div>
    </div>
  );
}
