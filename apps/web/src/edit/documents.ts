import { graphql } from '../gql';
import { jobDocuments } from '../jobs/use-job';

export const EditFields = graphql(`
  fragment EditFields on EditResult {
    accepted
    mode
    reason
    sourceText
    targetText
    directionalSimilarity
    preservation
    targetSimilarity
    evaluations
    generator
    part
    asset {
      id
      url
      width
      height
    }
    operations {
      name
      params
    }
    steps {
      stage
      directionalSimilarity
      preservation
      keepsImage
      operations {
        name
        params
      }
    }
    errors {
      generator
      code
      message
    }
  }
`);

/** What the Edit view follows of an edit job: its evaluations spent of the budget, then the result. */
export const EditJobFields = graphql(`
  fragment EditJobFields on Job {
    id
    state
    progress {
      stage
      done
      total
    }
    edit {
      ...EditFields
    }
    error {
      code
      message
    }
  }
`);

export const SubmitEditMutation = graphql(`
  mutation SubmitEdit($input: EditImageInput!) {
    submitEdit(input: $input) {
      ...EditJobFields
    }
  }
`);

export const EditJobUpdated = graphql(`
  subscription EditJobUpdated($id: ID!) {
    jobUpdated(id: $id) {
      ...EditJobFields
    }
  }
`);

export const EDIT_JOB = jobDocuments({
  submit: SubmitEditMutation,
  submitted: (data) => data.submitEdit,
  updates: EditJobUpdated,
});

export const LineageStepQuery = graphql(`
  query LineageStep($id: ID!) {
    asset(id: $id) {
      id
      url
      source
      prompt
      editedFrom
    }
  }
`);

/** What was made from an asset (edits, the masks they were confined to, heat maps), newest first. */
export const LineageEditsQuery = graphql(`
  query LineageEdits($id: ID!, $first: Int!) {
    assets(filter: { editedFrom: $id }, first: $first) {
      totalCount
      edges {
        node {
          id
          url
          source
          prompt
          parameters
        }
      }
    }
  }
`);
