import { graphql } from '../gql';

export const GalleryAssetFields = graphql(`
  fragment GalleryAssetFields on Asset {
    id
    url
    width
    height
    source
    prompt
    generator
    createdAt
  }
`);

export const AssetsPageQuery = graphql(`
  query AssetsPage($filter: AssetFilterInput, $first: Int!, $after: String) {
    assets(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...GalleryAssetFields
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const SearchAssetsQuery = graphql(`
  query SearchAssets($text: String, $image: ImageInput, $k: Int) {
    searchAssets(text: $text, image: $image, k: $k) {
      hits {
        score
        percentile
        asset {
          ...GalleryAssetFields
        }
      }
    }
  }
`);

export const CaptionByRetrievalQuery = graphql(`
  query CaptionByRetrieval($image: ImageInput!, $k: Int) {
    captionByRetrieval(image: $image, k: $k) {
      captions {
        caption
        score
        percentile
      }
    }
  }
`);

export const StoredCaptionsQuery = graphql(`
  query StoredCaptions($id: ID!) {
    asset(id: $id) {
      id
      captions {
        caption
        clipScore
        refClipScore
        createdAt
      }
    }
  }
`);
