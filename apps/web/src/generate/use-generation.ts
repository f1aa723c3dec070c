import type { GenerateInput, GenerationFieldsFragment } from '../gql/graphql';
import type { RunStatus } from '../graphql/use-run';
import { jobDocuments, useJob } from '../jobs/use-job';
import type { Progress } from '../ui/progress';
import { GenerateJobUpdated, SubmitGenerateMutation } from './documents';

export interface GenerationRun {
  status: RunStatus;
  progress: Progress | null;
  /** The candidates: all of them once it succeeded, those stored before it stopped when cancelled. */
  result: GenerationFieldsFragment | null;
  error: string | null;
  start(input: GenerateInput): void;
  cancel(): void;
}

const GENERATE_JOB = jobDocuments({
  submit: SubmitGenerateMutation,
  submitted: (data) => data.submitGenerate,
  updates: GenerateJobUpdated,
});

/** A generation runs as a job (`submitGenerate`, followed by useJob); the Generate view knows nothing else of how. */
export function useGeneration(): GenerationRun {
  const { job, start, ...run } = useJob(GENERATE_JOB);
  return { ...run, result: job?.generation ?? null, start: (input) => start({ input }) };
}
