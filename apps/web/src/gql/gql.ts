/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Models {\n    models {\n      modelType\n      ready\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  mutation ScoreCaptions($input: ScoreCaptionsInput!) {\n    scoreCaptions(input: $input) {\n      caption\n      similarity\n      clipScore\n      refClipScore\n    }\n  }\n": typeof types.ScoreCaptionsDocument,
    "\n  fragment EditFields on EditResult {\n    accepted\n    mode\n    reason\n    sourceText\n    targetText\n    directionalSimilarity\n    preservation\n    targetSimilarity\n    evaluations\n    generator\n    part\n    asset {\n      id\n      url\n      width\n      height\n    }\n    operations {\n      name\n      params\n    }\n    steps {\n      stage\n      directionalSimilarity\n      preservation\n      keepsImage\n      operations {\n        name\n        params\n      }\n    }\n    errors {\n      generator\n      code\n      message\n    }\n  }\n": typeof types.EditFieldsFragmentDoc,
    "\n  fragment EditJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    edit {\n      ...EditFields\n    }\n    error {\n      code\n      message\n    }\n  }\n": typeof types.EditJobFieldsFragmentDoc,
    "\n  mutation SubmitEdit($input: EditImageInput!) {\n    submitEdit(input: $input) {\n      ...EditJobFields\n    }\n  }\n": typeof types.SubmitEditDocument,
    "\n  subscription EditJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...EditJobFields\n    }\n  }\n": typeof types.EditJobUpdatedDocument,
    "\n  query LineageStep($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      source\n      prompt\n      editedFrom\n    }\n  }\n": typeof types.LineageStepDocument,
    "\n  query LineageEdits($id: ID!, $first: Int!) {\n    assets(filter: { editedFrom: $id }, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n          source\n          prompt\n          parameters\n        }\n      }\n    }\n  }\n": typeof types.LineageEditsDocument,
    "\n  fragment GalleryAssetFields on Asset {\n    id\n    url\n    width\n    height\n    source\n    prompt\n    generator\n    createdAt\n  }\n": typeof types.GalleryAssetFieldsFragmentDoc,
    "\n  query AssetsPage($filter: AssetFilterInput, $first: Int!, $after: String) {\n    assets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...GalleryAssetFields\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.AssetsPageDocument,
    "\n  query SearchAssets($text: String, $image: ImageInput, $k: Int) {\n    searchAssets(text: $text, image: $image, k: $k) {\n      hits {\n        score\n        percentile\n        asset {\n          ...GalleryAssetFields\n        }\n      }\n    }\n  }\n": typeof types.SearchAssetsDocument,
    "\n  query CaptionByRetrieval($image: ImageInput!, $k: Int) {\n    captionByRetrieval(image: $image, k: $k) {\n      captions {\n        caption\n        score\n        percentile\n      }\n    }\n  }\n": typeof types.CaptionByRetrievalDocument,
    "\n  query StoredCaptions($id: ID!) {\n    asset(id: $id) {\n      id\n      captions {\n        caption\n        clipScore\n        refClipScore\n        createdAt\n      }\n    }\n  }\n": typeof types.StoredCaptionsDocument,
    "\n  query Generators {\n    generators {\n      id\n      kind\n      capabilities {\n        negativePrompt\n        seed\n        textToImage\n        sizes {\n          minWidth\n          maxWidth\n          minHeight\n          maxHeight\n          multipleOf\n        }\n      }\n    }\n  }\n": typeof types.GeneratorsDocument,
    "\n  fragment GenerationFields on GenerationResult {\n    id\n    candidates {\n      rank\n      generator\n      seed\n      model\n      asset {\n        id\n        url\n        width\n        height\n      }\n      scores {\n        similarity\n        clipScore\n        negativeSimilarity\n        negativePenalty\n        redundancy\n        rankScore\n      }\n    }\n    errors {\n      generator\n      code\n      message\n      retries\n    }\n  }\n": typeof types.GenerationFieldsFragmentDoc,
    "\n  fragment GenerateJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    generation {\n      ...GenerationFields\n    }\n    error {\n      code\n      message\n    }\n  }\n": typeof types.GenerateJobFieldsFragmentDoc,
    "\n  mutation SubmitGenerate($input: GenerateInput!) {\n    submitGenerate(input: $input) {\n      ...GenerateJobFields\n    }\n  }\n": typeof types.SubmitGenerateDocument,
    "\n  subscription GenerateJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...GenerateJobFields\n    }\n  }\n": typeof types.GenerateJobUpdatedDocument,
    "\n  query AssetById($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      width\n      height\n      source\n      prompt\n      generator\n      seed\n      scores\n      parameters\n      editedFrom\n      createdAt\n    }\n  }\n": typeof types.AssetByIdDocument,
    "\n  query RecentAssets($first: Int!) {\n    assets(first: $first, filter: { source: \"generated\" }) {\n      edges {\n        node {\n          id\n          url\n          width\n          height\n          prompt\n        }\n      }\n    }\n  }\n": typeof types.RecentAssetsDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  mutation Moderate($image: ImageInput!, $policy: ModerationPolicyInput!) {\n    moderate(image: $image, policy: $policy) {\n      flagged\n      heatmapRule\n      heatmap {\n        id\n        url\n        width\n        height\n      }\n      rules {\n        name\n        flagged\n        score\n        threshold\n        imageScore\n        windowScore\n        regions {\n          x\n          y\n          width\n          height\n          score\n        }\n      }\n    }\n  }\n": typeof types.ModerateDocument,
};
const documents: Documents = {
    "\n  query Models {\n    models {\n      modelType\n      ready\n    }\n  }\n": types.ModelsDocument,
    "\n  mutation ScoreCaptions($input: ScoreCaptionsInput!) {\n    scoreCaptions(input: $input) {\n      caption\n      similarity\n      clipScore\n      refClipScore\n    }\n  }\n": types.ScoreCaptionsDocument,
    "\n  fragment EditFields on EditResult {\n    accepted\n    mode\n    reason\n    sourceText\n    targetText\n    directionalSimilarity\n    preservation\n    targetSimilarity\n    evaluations\n    generator\n    part\n    asset {\n      id\n      url\n      width\n      height\n    }\n    operations {\n      name\n      params\n    }\n    steps {\n      stage\n      directionalSimilarity\n      preservation\n      keepsImage\n      operations {\n        name\n        params\n      }\n    }\n    errors {\n      generator\n      code\n      message\n    }\n  }\n": types.EditFieldsFragmentDoc,
    "\n  fragment EditJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    edit {\n      ...EditFields\n    }\n    error {\n      code\n      message\n    }\n  }\n": types.EditJobFieldsFragmentDoc,
    "\n  mutation SubmitEdit($input: EditImageInput!) {\n    submitEdit(input: $input) {\n      ...EditJobFields\n    }\n  }\n": types.SubmitEditDocument,
    "\n  subscription EditJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...EditJobFields\n    }\n  }\n": types.EditJobUpdatedDocument,
    "\n  query LineageStep($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      source\n      prompt\n      editedFrom\n    }\n  }\n": types.LineageStepDocument,
    "\n  query LineageEdits($id: ID!, $first: Int!) {\n    assets(filter: { editedFrom: $id }, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n          source\n          prompt\n          parameters\n        }\n      }\n    }\n  }\n": types.LineageEditsDocument,
    "\n  fragment GalleryAssetFields on Asset {\n    id\n    url\n    width\n    height\n    source\n    prompt\n    generator\n    createdAt\n  }\n": types.GalleryAssetFieldsFragmentDoc,
    "\n  query AssetsPage($filter: AssetFilterInput, $first: Int!, $after: String) {\n    assets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...GalleryAssetFields\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.AssetsPageDocument,
    "\n  query SearchAssets($text: String, $image: ImageInput, $k: Int) {\n    searchAssets(text: $text, image: $image, k: $k) {\n      hits {\n        score\n        percentile\n        asset {\n          ...GalleryAssetFields\n        }\n      }\n    }\n  }\n": types.SearchAssetsDocument,
    "\n  query CaptionByRetrieval($image: ImageInput!, $k: Int) {\n    captionByRetrieval(image: $image, k: $k) {\n      captions {\n        caption\n        score\n        percentile\n      }\n    }\n  }\n": types.CaptionByRetrievalDocument,
    "\n  query StoredCaptions($id: ID!) {\n    asset(id: $id) {\n      id\n      captions {\n        caption\n        clipScore\n        refClipScore\n        createdAt\n      }\n    }\n  }\n": types.StoredCaptionsDocument,
    "\n  query Generators {\n    generators {\n      id\n      kind\n      capabilities {\n        negativePrompt\n        seed\n        textToImage\n        sizes {\n          minWidth\n          maxWidth\n          minHeight\n          maxHeight\n          multipleOf\n        }\n      }\n    }\n  }\n": types.GeneratorsDocument,
    "\n  fragment GenerationFields on GenerationResult {\n    id\n    candidates {\n      rank\n      generator\n      seed\n      model\n      asset {\n        id\n        url\n        width\n        height\n      }\n      scores {\n        similarity\n        clipScore\n        negativeSimilarity\n        negativePenalty\n        redundancy\n        rankScore\n      }\n    }\n    errors {\n      generator\n      code\n      message\n      retries\n    }\n  }\n": types.GenerationFieldsFragmentDoc,
    "\n  fragment GenerateJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    generation {\n      ...GenerationFields\n    }\n    error {\n      code\n      message\n    }\n  }\n": types.GenerateJobFieldsFragmentDoc,
    "\n  mutation SubmitGenerate($input: GenerateInput!) {\n    submitGenerate(input: $input) {\n      ...GenerateJobFields\n    }\n  }\n": types.SubmitGenerateDocument,
    "\n  subscription GenerateJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...GenerateJobFields\n    }\n  }\n": types.GenerateJobUpdatedDocument,
    "\n  query AssetById($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      width\n      height\n      source\n      prompt\n      generator\n      seed\n      scores\n      parameters\n      editedFrom\n      createdAt\n    }\n  }\n": types.AssetByIdDocument,
    "\n  query RecentAssets($first: Int!) {\n    assets(first: $first, filter: { source: \"generated\" }) {\n      edges {\n        node {\n          id\n          url\n          width\n          height\n          prompt\n        }\n      }\n    }\n  }\n": types.RecentAssetsDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n": types.CancelJobDocument,
    "\n  mutation Moderate($image: ImageInput!, $policy: ModerationPolicyInput!) {\n    moderate(image: $image, policy: $policy) {\n      flagged\n      heatmapRule\n      heatmap {\n        id\n        url\n        width\n        height\n      }\n      rules {\n        name\n        flagged\n        score\n        threshold\n        imageScore\n        windowScore\n        regions {\n          x\n          y\n          width\n          height\n          score\n        }\n      }\n    }\n  }\n": types.ModerateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    models {\n      modelType\n      ready\n    }\n  }\n"): (typeof documents)["\n  query Models {\n    models {\n      modelType\n      ready\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScoreCaptions($input: ScoreCaptionsInput!) {\n    scoreCaptions(input: $input) {\n      caption\n      similarity\n      clipScore\n      refClipScore\n    }\n  }\n"): (typeof documents)["\n  mutation ScoreCaptions($input: ScoreCaptionsInput!) {\n    scoreCaptions(input: $input) {\n      caption\n      similarity\n      clipScore\n      refClipScore\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EditFields on EditResult {\n    accepted\n    mode\n    reason\n    sourceText\n    targetText\n    directionalSimilarity\n    preservation\n    targetSimilarity\n    evaluations\n    generator\n    part\n    asset {\n      id\n      url\n      width\n      height\n    }\n    operations {\n      name\n      params\n    }\n    steps {\n      stage\n      directionalSimilarity\n      preservation\n      keepsImage\n      operations {\n        name\n        params\n      }\n    }\n    errors {\n      generator\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment EditFields on EditResult {\n    accepted\n    mode\n    reason\n    sourceText\n    targetText\n    directionalSimilarity\n    preservation\n    targetSimilarity\n    evaluations\n    generator\n    part\n    asset {\n      id\n      url\n      width\n      height\n    }\n    operations {\n      name\n      params\n    }\n    steps {\n      stage\n      directionalSimilarity\n      preservation\n      keepsImage\n      operations {\n        name\n        params\n      }\n    }\n    errors {\n      generator\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EditJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    edit {\n      ...EditFields\n    }\n    error {\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment EditJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    edit {\n      ...EditFields\n    }\n    error {\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitEdit($input: EditImageInput!) {\n    submitEdit(input: $input) {\n      ...EditJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitEdit($input: EditImageInput!) {\n    submitEdit(input: $input) {\n      ...EditJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EditJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...EditJobFields\n    }\n  }\n"): (typeof documents)["\n  subscription EditJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...EditJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LineageStep($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      source\n      prompt\n      editedFrom\n    }\n  }\n"): (typeof documents)["\n  query LineageStep($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      source\n      prompt\n      editedFrom\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LineageEdits($id: ID!, $first: Int!) {\n    assets(filter: { editedFrom: $id }, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n          source\n          prompt\n          parameters\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LineageEdits($id: ID!, $first: Int!) {\n    assets(filter: { editedFrom: $id }, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n          source\n          prompt\n          parameters\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GalleryAssetFields on Asset {\n    id\n    url\n    width\n    height\n    source\n    prompt\n    generator\n    createdAt\n  }\n"): (typeof documents)["\n  fragment GalleryAssetFields on Asset {\n    id\n    url\n    width\n    height\n    source\n    prompt\n    generator\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetsPage($filter: AssetFilterInput, $first: Int!, $after: String) {\n    assets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...GalleryAssetFields\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssetsPage($filter: AssetFilterInput, $first: Int!, $after: String) {\n    assets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...GalleryAssetFields\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchAssets($text: String, $image: ImageInput, $k: Int) {\n    searchAssets(text: $text, image: $image, k: $k) {\n      hits {\n        score\n        percentile\n        asset {\n          ...GalleryAssetFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchAssets($text: String, $image: ImageInput, $k: Int) {\n    searchAssets(text: $text, image: $image, k: $k) {\n      hits {\n        score\n        percentile\n        asset {\n          ...GalleryAssetFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CaptionByRetrieval($image: ImageInput!, $k: Int) {\n    captionByRetrieval(image: $image, k: $k) {\n      captions {\n        caption\n        score\n        percentile\n      }\n    }\n  }\n"): (typeof documents)["\n  query CaptionByRetrieval($image: ImageInput!, $k: Int) {\n    captionByRetrieval(image: $image, k: $k) {\n      captions {\n        caption\n        score\n        percentile\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoredCaptions($id: ID!) {\n    asset(id: $id) {\n      id\n      captions {\n        caption\n        clipScore\n        refClipScore\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query StoredCaptions($id: ID!) {\n    asset(id: $id) {\n      id\n      captions {\n        caption\n        clipScore\n        refClipScore\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Generators {\n    generators {\n      id\n      kind\n      capabilities {\n        negativePrompt\n        seed\n        textToImage\n        sizes {\n          minWidth\n          maxWidth\n          minHeight\n          maxHeight\n          multipleOf\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Generators {\n    generators {\n      id\n      kind\n      capabilities {\n        negativePrompt\n        seed\n        textToImage\n        sizes {\n          minWidth\n          maxWidth\n          minHeight\n          maxHeight\n          multipleOf\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GenerationFields on GenerationResult {\n    id\n    candidates {\n      rank\n      generator\n      seed\n      model\n      asset {\n        id\n        url\n        width\n        height\n      }\n      scores {\n        similarity\n        clipScore\n        negativeSimilarity\n        negativePenalty\n        redundancy\n        rankScore\n      }\n    }\n    errors {\n      generator\n      code\n      message\n      retries\n    }\n  }\n"): (typeof documents)["\n  fragment GenerationFields on GenerationResult {\n    id\n    candidates {\n      rank\n      generator\n      seed\n      model\n      asset {\n        id\n        url\n        width\n        height\n      }\n      scores {\n        similarity\n        clipScore\n        negativeSimilarity\n        negativePenalty\n        redundancy\n        rankScore\n      }\n    }\n    errors {\n      generator\n      code\n      message\n      retries\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GenerateJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    generation {\n      ...GenerationFields\n    }\n    error {\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment GenerateJobFields on Job {\n    id\n    state\n    progress {\n      stage\n      done\n      total\n    }\n    generation {\n      ...GenerationFields\n    }\n    error {\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitGenerate($input: GenerateInput!) {\n    submitGenerate(input: $input) {\n      ...GenerateJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitGenerate($input: GenerateInput!) {\n    submitGenerate(input: $input) {\n      ...GenerateJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GenerateJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...GenerateJobFields\n    }\n  }\n"): (typeof documents)["\n  subscription GenerateJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...GenerateJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetById($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      width\n      height\n      source\n      prompt\n      generator\n      seed\n      scores\n      parameters\n      editedFrom\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query AssetById($id: ID!) {\n    asset(id: $id) {\n      id\n      url\n      width\n      height\n      source\n      prompt\n      generator\n      seed\n      scores\n      parameters\n      editedFrom\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentAssets($first: Int!) {\n    assets(first: $first, filter: { source: \"generated\" }) {\n      edges {\n        node {\n          id\n          url\n          width\n          height\n          prompt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentAssets($first: Int!) {\n    assets(first: $first, filter: { source: \"generated\" }) {\n      edges {\n        node {\n          id\n          url\n          width\n          height\n          prompt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Moderate($image: ImageInput!, $policy: ModerationPolicyInput!) {\n    moderate(image: $image, policy: $policy) {\n      flagged\n      heatmapRule\n      heatmap {\n        id\n        url\n        width\n        height\n      }\n      rules {\n        name\n        flagged\n        score\n        threshold\n        imageScore\n        windowScore\n        regions {\n          x\n          y\n          width\n          height\n          score\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Moderate($image: ImageInput!, $policy: ModerationPolicyInput!) {\n    moderate(image: $image, policy: $policy) {\n      flagged\n      heatmapRule\n      heatmap {\n        id\n        url\n        width\n        height\n      }\n      rules {\n        name\n        flagged\n        score\n        threshold\n        imageScore\n        windowScore\n        regions {\n          x\n          y\n          width\n          height\n          score\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;