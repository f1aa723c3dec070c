import { graphql } from '../gql';

export const ScoreCaptionsMutation = graphql(`
  mutation ScoreCaptions($input: ScoreCaptionsInput!) {
    scoreCaptions(input: $input) {
      caption
      similarity
      clipScore
      refClipScore
    }
  }
`);
