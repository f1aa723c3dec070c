import { useState } from 'react';
import { useQuery } from 'urql';
import type { EditMode } from '../gql/graphql';
import { AssetQuery } from '../images/documents';
import { ImageLinks } from '../images/image-links';
import { ImagePicker } from '../images/image-picker';
import { useJob } from '../jobs/use-job';
import { navigate, useLocation } from '../routing';
import { Alert } from '../ui/alert';
import { EditResultPanel } from './edit-result';
import { EDIT_JOB } from './documents';
import { Lineage } from './lineage';
import { NumberField } from '../ui/number-field';
import { JobActions, JobStatus } from '../jobs/job-controls';

const editHref = (id: string): string => `/edit?asset=${encodeURIComponent(id)}`;

/** Edit an image toward an instruction: pick it, say what to change, compare before and after. */
export function EditView() {
  const assetId = useLocation().params.get('asset');
  return (
    <section className="view" aria-labelledby="edit-title">
      <h1 id="edit-title">Edit</h1>
      {/* A new source starts a fresh workspace: the last result belongs to the last source. */}
      {assetId ? (
        <EditWorkspace key={assetId} assetId={assetId} />
      ) : (
        <ImagePicker label="Image to edit" onPick={(image) => navigate(editHref(image.id))} />
      )}
    </section>
  );
}

function EditWorkspace({ assetId }: { assetId: string }) {
  const [{ data, fetching }] = useQuery({ query: AssetQuery, variables: { id: assetId } });
  const [instruction, setInstruction] = useState('');
  const [mode, setMode] = useState<EditMode>('OPERATORS');
  const [budget, setBudget] = useState(48);
  const run = useJob(EDIT_JOB);
  const source = data?.asset;
  if (!source)
    return fetching ? <p className="note">Loading…</p> : <Alert>There is no asset {assetId}.</Alert>;

  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    run.start({ input: { image: { assetId }, instruction, mode, budget } });
  };
  const result = run.status === 'succeeded' ? run.job?.edit : null;
  return (
    <>
      <div className="edit-layout">
        <div className="panel source">
          <img src={source.url} alt="Image to edit" width={source.width} height={source.height} />
          <p className="note">{source.prompt ?? source.source}</p>
          <ImageLinks id={assetId} />
        </div>
        <form className="panel form" onSubmit={submit}>
          <label className="field wide">
            <span>Instruction</span>
            <input
              value={instruction}
              onChange={(e) => setInstruction(e.target.value)}
              placeholder="make the circle green"
              required
            />
          </label>
          <label className="field">
            <span>Mode</span>
            <select value={mode} onChange={(e) => setMode(e.target.value as EditMode)}>
              <option value="OPERATORS">operators</option>
              <option value="AUTO">auto</option>
              <option value="GENERATOR">generator</option>
            </select>
          </label>
          <NumberField label="Budget" min={4} max={200} value={budget} onChange={setBudget} />
          <JobActions label="Edit" run={run} />
        </form>
      </div>
      <JobStatus label="Editing" run={run} />
      {result ? (
        <EditResultPanel
          before={source}
          result={result}
          onContinue={result.asset.id === assetId ? undefined : () => navigate(editHref(result.asset.id))}
        />
      ) : null}
      {/* Asked again once an edit is made, which is one more thing made from this image. */}
      <Lineage key={result?.asset.id ?? ''} assetId={assetId} hrefOf={editHref} />
    </>
  );
}
