import { graphql } from '../gql';

export const GeneratorsQuery = graphql(`
  query Generators {
    generators {
      id
      kind
      capabilities {
        negativePrompt
        seed
        textToImage
        sizes {
          minWidth
          maxWidth
          minHeight
          maxHeight
          multipleOf
        }
      }
    }
  }
`);

/** What the Generate view shows of a finished generation, whichever way it was run. */
export const GenerationFields = graphql(`
  fragment GenerationFields on GenerationResult {
    id
    candidates {
      rank
      generator
      seed
      model
      asset {
        id
        url
        width
        height
      }
      scores {
        similarity
        clipScore
        negativeSimilarity
        negativePenalty
        redundancy
        rankScore
      }
    }
    errors {
      generator
      code
      message
      retries
    }
  }
`);

/** What the Generate view follows of a generate job. */
export const GenerateJobFields = graphql(`
  fragment GenerateJobFields on Job {
    id
    state
    progress {
      stage
      done
      total
    }
    generation {
      ...GenerationFields
    }
    error {
      code
      message
    }
  }
`);

export const SubmitGenerateMutation = graphql(`
  mutation SubmitGenerate($input: GenerateInput!) {
    submitGenerate(input: $input) {
      ...GenerateJobFields
    }
  }
`);

export const GenerateJobUpdated = graphql(`
  subscription GenerateJobUpdated($id: ID!) {
    jobUpdated(id: $id) {
      ...GenerateJobFields
    }
  }
`);
