import { graphql } from '../gql';

/** Asks the server to stop a job; what it did so far arrives over the job's subscription. */
export const CancelJobMutation = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      id
      state
    }
  }
`);
