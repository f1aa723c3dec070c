/** How far a job is, as the server reports it. */
export interface Progress {
  stage: string;
  done: number;
  total: number;
}

/** A job's progress: determinate once the server reports counts, indeterminate before. */
export function ProgressBar({ label, progress }: { label: string; progress: Progress | null }) {
  const known = progress !== null && progress.total > 0;
  return (
    <div className="progress">
      <progress
        aria-label={label}
        max={known ? progress.total : undefined}
        value={known ? progress.done : undefined}
      />
      <span className="progress-text" aria-live="polite">
        {known ? `${progress.stage}: ${progress.done} of ${progress.total}` : `${label}…`}
      </span>
    </div>
  );
}
