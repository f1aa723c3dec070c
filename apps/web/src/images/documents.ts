import { graphql } from '../gql';

export const AssetQuery = graphql(`
  query AssetById($id: ID!) {
    asset(id: $id) {
      id
      url
      width
      height
      source
      prompt
      generator
      seed
      scores
      parameters
      editedFrom
      createdAt
    }
  }
`);

export const RecentAssetsQuery = graphql(`
  query RecentAssets($first: Int!) {
    assets(first: $first, filter: { source: "generated" }) {
      edges {
        node {
          id
          url
          width
          height
          prompt
        }
      }
    }
  }
`);
