import { Alert } from '../ui/alert';
import { ProgressBar } from '../ui/progress';
import type { JobRun } from './use-job';

type Run = Pick<JobRun<unknown, never>, 'status' | 'progress' | 'error' | 'cancel'>;

/** A job form's buttons: submit (`label`), and Cancel while its job runs. */
export function JobActions({
  label,
  run,
  disabled = false,
}: {
  label: string;
  run: Run;
  disabled?: boolean;
}) {
  const running = run.status === 'running';
  return (
    <div className="actions wide">
      <button type="submit" className="primary" disabled={running || disabled}>
        {label}
      </button>
      {running ? (
        <button type="button" onClick={run.cancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

/** Where a job stands below its form: the progress bar while it runs, then a cancel or an error. */
export function JobStatus({ label, run }: { label: string; run: Run }) {
  return (
    <>
      {run.status === 'running' ? <ProgressBar label={label} progress={run.progress} /> : null}
      {run.status === 'cancelled' ? <p className="note">Cancelled.</p> : null}
      {run.error ? <Alert>{run.error}</Alert> : null}
    </>
  );
}
