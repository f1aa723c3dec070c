import { graphql } from '../gql';

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

export const EditMutation = graphql(`
  mutation EditImage($input: EditImageInput!) {
    editImage(input: $input) {
      ...EditFields
    }
  }
`);

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
