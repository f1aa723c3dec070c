import { useCallback, useState } from 'react';
import { useClient, useSubscription } from 'urql';
import type {
  GenerateInput,
  GenerateJobFieldsFragment,
  GenerationFieldsFragment,
  JobState,
} from '../gql/graphql';
import { errorText } from '../graphql/errors';
import type { RunStatus } from '../graphql/use-run';
import type { Progress } from '../ui/progress';
import { CancelJobMutation, GenerateJobUpdated, SubmitGenerateMutation } from './documents';

export interface GenerationRun {
  status: RunStatus;
  /** Null while the server has not said how far it is (the bar is then indeterminate). */
  progress: Progress | null;
  /** The candidates: all of them once it succeeded, those stored before it stopped when cancelled. */
  result: GenerationFieldsFragment | null;
  error: string | null;
  start(input: GenerateInput): void;
  cancel(): void;
}

const STATUS: Record<JobState, RunStatus> = {
  QUEUED: 'running',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/**
 * Runs one generation at a time as a job: `submitGenerate`, then `jobUpdated` over graphql-ws for its
 * progress until it is final; cancel asks the server to cancel the job. The Generate view knows nothing
 * else of how.
 */
export function useGeneration(): GenerationRun {
  const client = useClient();
  const [submitting, setSubmitting] = useState(false);
  const [submitted, setSubmitted] = useState<GenerateJobFieldsFragment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ data }] = useSubscription({
    query: GenerateJobUpdated,
    variables: { id: submitted?.id ?? '' },
    pause: !submitted,
  });
  // The subscription's latest word on this job, else what submitting it answered.
  const latest = data?.jobUpdated;
  const job = latest && latest.id === submitted?.id ? latest : submitted;

  const start = useCallback(
    (input: GenerateInput) => {
      setSubmitting(true);
      setError(null);
      setSubmitted(null);
      void client
        .mutation(SubmitGenerateMutation, { input })
        .toPromise()
        .then((response) => {
          setSubmitting(false);
          if (response.data) setSubmitted(response.data.submitGenerate);
          else setError(response.error ? errorText(response.error) : 'the server sent no job');
        });
    },
    [client],
  );

  const cancel = useCallback(() => {
    if (!job) return;
    void client
      .mutation(CancelJobMutation, { id: job.id })
      .toPromise()
      .then((response) => {
        if (response.error) setError(errorText(response.error));
      });
  }, [client, job]);

  const status: RunStatus = submitting ? 'running' : job ? STATUS[job.state] : error ? 'failed' : 'idle';
  const running = status === 'running';
  return {
    status,
    progress: running && job && job.progress.total > 0 ? job.progress : null,
    result: job?.generation ?? null,
    error: error ?? (job?.state === 'FAILED' ? (job.error?.message ?? 'the generation failed') : null),
    start,
    cancel,
  };
}
