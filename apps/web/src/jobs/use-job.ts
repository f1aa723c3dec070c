import { useCallback, useState } from 'react';
import { type AnyVariables, type TypedDocumentNode, useClient, useSubscription } from 'urql';
import type { JobState } from '../gql/graphql';
import { errorText } from '../graphql/errors';
import type { RunStatus } from '../graphql/use-run';
import type { Progress } from '../ui/progress';
import { CancelJobMutation } from './documents';

/** What a view selects of a job at least: where it is, and why it stopped. */
export interface FollowedJob {
  id: string;
  state: JobState;
  progress: Progress;
  error?: { message: string } | null;
}

/** How one kind of job is submitted and followed: a submit mutation, and `jobUpdated` with the same fields. */
export interface JobDocuments<Job extends FollowedJob, SubmitData, Variables extends AnyVariables> {
  submit: TypedDocumentNode<SubmitData, Variables>;
  /** The job in the submit mutation's answer. */
  submitted(data: SubmitData): Job;
  updates: TypedDocumentNode<{ jobUpdated: Job }, { id: string }>;
}

/** Names the documents of a kind of job, once, where its types are inferred. */
export function jobDocuments<Job extends FollowedJob, SubmitData, Variables extends AnyVariables>(
  documents: JobDocuments<Job, SubmitData, Variables>,
): JobDocuments<Job, SubmitData, Variables> {
  return documents;
}

export interface JobRun<Job, Variables> {
  status: RunStatus;
  /** Null while the server has not said how far it is (the bar is then indeterminate). */
  progress: Progress | null;
  /** The server's latest word on the job; null before it answered the submit. */
  job: Job | null;
  error: string | null;
  start(variables: Variables): void;
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
 * Runs one job at a time: submits it, follows it with `jobUpdated` over graphql-ws (the server sends the
 * job at once, then every change) until it is final; cancel asks the server to cancel it.
 */
export function useJob<Job extends FollowedJob, SubmitData, Variables extends AnyVariables>(
  documents: JobDocuments<Job, SubmitData, Variables>,
): JobRun<Job, Variables> {
  const client = useClient();
  const [submitting, setSubmitting] = useState(false);
  const [submitted, setSubmitted] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ data }] = useSubscription({
    query: documents.updates,
    variables: { id: submitted?.id ?? '' },
    pause: !submitted,
  });
  // The subscription's latest word on this job, else what submitting it answered.
  const latest = data?.jobUpdated;
  const job = latest && latest.id === submitted?.id ? latest : submitted;

  const start = useCallback(
    (variables: Variables) => {
      setSubmitting(true);
      setError(null);
      setSubmitted(null);
      void client
        .mutation(documents.submit, variables)
        .toPromise()
        .then((response) => {
          setSubmitting(false);
          if (response.data) setSubmitted(documents.submitted(response.data));
          else setError(response.error ? errorText(response.error) : 'the server sent no job');
        });
    },
    [client, documents],
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
    job,
    error: error ?? (job?.state === 'FAILED' ? (job.error?.message ?? 'the job failed') : null),
    start,
    cancel,
  };
}
