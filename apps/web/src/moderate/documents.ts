import { graphql } from '../gql';

export const ModerateMutation = graphql(`
  mutation Moderate($image: ImageInput!, $policy: ModerationPolicyInput!) {
    moderate(image: $image, policy: $policy) {
      flagged
      heatmapRule
      heatmap {
        id
        url
        width
        height
      }
      rules {
        name
        flagged
        score
        threshold
        imageScore
        windowScore
        regions {
          x
          y
          width
          height
          score
        }
      }
    }
  }
`);
