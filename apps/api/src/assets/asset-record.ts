/** How an asset came to be. */
export type AssetSource = 'generated' | 'uploaded' | 'edited' | 'heatmap';

/** A stored image: its bytes live in the file store under `id`, everything else in the database. */
export interface AssetRecord {
  /** SHA-256 of the bytes, lowercase hex. */
  id: string;
  mimeType: string;
  /** Size as displayed, after EXIF orientation. */
  width: number;
  height: number;
  byteSize: number;
  /** ISO 8601, UTC, milliseconds. */
  createdAt: string;
  source: AssetSource;
  prompt: string | null;
  generatorId: string | null;
  seed: number | null;
  /** What the generator or edit was asked for, as given. */
  parameters: Record<string, unknown> | null;
  /** CLIP and other scores at the time it was stored. */
  scores: Record<string, unknown> | null;
  /** The asset this one is an edit of. */
  editedFrom: string | null;
  /** The generate request that produced it. */
  generationId: string | null;
}

/** What a caller says about an asset it stores; the rest is read from the bytes. */
export interface AssetMetadata {
  source: AssetSource;
  prompt?: string | null;
  generatorId?: string | null;
  seed?: number | null;
  parameters?: Record<string, unknown> | null;
  scores?: Record<string, unknown> | null;
  editedFrom?: string | null;
  generationId?: string | null;
}

export type NewAsset = AssetMetadata & Pick<AssetRecord, 'id' | 'mimeType' | 'width' | 'height' | 'byteSize'>;

export interface CaptionRecord {
  id: number;
  assetId: string;
  caption: string;
  clipScore: number | null;
  refClipScore: number | null;
  createdAt: string;
}

export interface NewCaption {
  caption: string;
  clipScore?: number | null;
  refClipScore?: number | null;
}

export interface AssetFilter {
  source?: AssetSource;
  generatorId?: string;
  /** Substring of the prompt, ASCII case-insensitive; empty matches everything. */
  promptContains?: string;
  /** Edits of this asset (its children in the lineage). */
  editedFrom?: string;
}

export interface AssetListArgs {
  filter?: AssetFilter;
  /** Page size, 1 to 100. */
  first: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

/** Newest first; cursors are opaque and stay valid while assets are added. */
export interface AssetPage {
  items: AssetRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
  /** Assets matching the filter, on every page. */
  totalCount: number;
}

/** Every embedding of one CLIP model; `vectors[i]` (a view into one buffer) belongs to `ids[i]`. */
export interface EmbeddingSet {
  modelKey: string;
  dim: number;
  ids: string[];
  vectors: Float32Array[];
}
