import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import type {
  AssetFilter,
  AssetListArgs,
  AssetPage,
  AssetRecord,
  AssetSource,
  CaptionRecord,
  EmbeddingSet,
  NewAsset,
  NewCaption,
} from './asset-record.js';
import { decodeCursor, encodeCursor, ListArgumentError } from './list-cursor.js';
import { migrate } from './migrations.js';
import { decodeVector, encodeVector } from './vector-blob.js';

interface AssetRow {
  id: string;
  mime_type: string;
  width: number;
  height: number;
  byte_size: number;
  created_at: string;
  source: AssetSource;
  prompt: string | null;
  generator_id: string | null;
  seed: number | null;
  parameters: string | null;
  scores: string | null;
  edited_from: string | null;
  generation_id: string | null;
}

interface CaptionRow {
  id: number;
  asset_id: string;
  caption: string;
  clip_score: number | null;
  ref_clip_score: number | null;
  created_at: string;
}

interface EmbeddingRow {
  asset_id: string;
  dim: number;
  vector: Buffer;
}

export const MAX_PAGE_SIZE = 100;

/**
 * Asset rows, captions and embeddings in SQLite (WAL, foreign keys on), migrated at open. Calls are
 * synchronous: better-sqlite3 answers these indexed lookups faster than a thread hop would.
 */
export class AssetRepository implements OnApplicationShutdown {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private lastCreatedMs: number;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      // Another process holding the write lock (a migration, a CLI) is waited for, not failed on.
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const { newest } = this.prepared('SELECT max(created_at) AS newest FROM assets').get() as {
      newest: string | null;
    };
    this.lastCreatedMs = newest ? Date.parse(newest) : 0;
  }

  /**
   * Adds an asset, or returns the one already stored under its id. The first record of a set of bytes
   * wins, metadata included: an asset's provenance never changes under a client that has read it, and
   * a second story for the same bytes (an upload of a generated image) belongs to its caller's records.
   */
  insert(asset: NewAsset): AssetRecord {
    this.prepared(
      `INSERT INTO assets (id, mime_type, width, height, byte_size, created_at, source, prompt,
         generator_id, seed, parameters, scores, edited_from, generation_id)
       VALUES (@id, @mimeType, @width, @height, @byteSize, @createdAt, @source, @prompt,
         @generatorId, @seed, @parameters, @scores, @editedFrom, @generationId)
       ON CONFLICT (id) DO NOTHING`,
    ).run({
      id: asset.id,
      mimeType: asset.mimeType,
      width: asset.width,
      height: asset.height,
      byteSize: asset.byteSize,
      createdAt: this.nextCreatedAt(),
      source: asset.source,
      prompt: asset.prompt ?? null,
      generatorId: asset.generatorId ?? null,
      seed: asset.seed ?? null,
      parameters: json(asset.parameters),
      scores: json(asset.scores),
      editedFrom: asset.editedFrom ?? null,
      generationId: asset.generationId ?? null,
    });
    return this.get(asset.id)!;
  }

  get(id: string): AssetRecord | null {
    const row = this.prepared('SELECT * FROM assets WHERE id = ?').get(id) as AssetRow | undefined;
    return row ? toAsset(row) : null;
  }

  /** A page of assets, newest first (ties by id), filtered. */
  list({ filter = {}, first, after }: AssetListArgs): AssetPage {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new ListArgumentError(`first must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${first})`);
    }
    const { where, params } = filterClause(filter);
    const position = after ? decodeCursor(after) : null;
    const pageWhere = position ? [...where, '(created_at, id) < (@afterCreatedAt, @afterId)'] : where;
    const rows = this.prepared(
      `SELECT * FROM assets ${whereSql(pageWhere)} ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ).all({
      ...params,
      ...(position ? { afterCreatedAt: position.createdAt, afterId: position.id } : {}),
      limit: first + 1,
    }) as AssetRow[];
    const { total } = this.prepared(`SELECT count(*) AS total FROM assets ${whereSql(where)}`).get(
      params,
    ) as {
      total: number;
    };
    const items = rows.slice(0, first).map(toAsset);
    const last = items.at(-1);
    return {
      items,
      endCursor: last ? encodeCursor(last) : null,
      hasNextPage: rows.length > first,
      totalCount: total,
    };
  }

  addCaption(assetId: string, caption: NewCaption): CaptionRecord {
    const row = this.prepared(
      `INSERT INTO asset_captions (asset_id, caption, clip_score, ref_clip_score, created_at)
       VALUES (?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      assetId,
      caption.caption,
      caption.clipScore ?? null,
      caption.refClipScore ?? null,
      new Date().toISOString(),
    ) as CaptionRow;
    return toCaption(row);
  }

  /** Captions of an asset, oldest first. */
  captions(assetId: string): CaptionRecord[] {
    const rows = this.prepared('SELECT * FROM asset_captions WHERE asset_id = ? ORDER BY id').all(
      assetId,
    ) as CaptionRow[];
    return rows.map(toCaption);
  }

  /**
   * Stores (or replaces) the embedding of an asset by one CLIP model. A model has one dimension: a
   * vector of another length under the same key is refused, as search could not compare it.
   */
  setEmbedding(assetId: string, modelKey: string, vector: Float32Array): void {
    if (vector.length === 0 || !vector.every(Number.isFinite)) {
      throw new RangeError('an embedding must be a non-empty vector of finite numbers');
    }
    const existing = this.prepared('SELECT dim FROM asset_embeddings WHERE model_key = ? LIMIT 1').get(
      modelKey,
    ) as { dim: number } | undefined;
    if (existing && existing.dim !== vector.length) {
      throw new RangeError(
        `embeddings of ${modelKey} have ${existing.dim} dimensions; this one has ${vector.length}`,
      );
    }
    this.prepared(
      `INSERT INTO asset_embeddings (asset_id, model_key, dim, vector) VALUES (?, ?, ?, ?)
       ON CONFLICT (asset_id, model_key) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`,
    ).run(assetId, modelKey, vector.length, encodeVector(vector));
  }

  getEmbedding(assetId: string, modelKey: string): Float32Array | null {
    const row = this.prepared(
      'SELECT asset_id, dim, vector FROM asset_embeddings WHERE asset_id = ? AND model_key = ?',
    ).get(assetId, modelKey) as EmbeddingRow | undefined;
    return row ? decodeVector(row.vector, new Float32Array(row.dim)) : null;
  }

  /** Every embedding of one model, for search: one contiguous buffer, a view per asset. */
  allEmbeddings(modelKey: string): EmbeddingSet {
    const rows = this.prepared(
      'SELECT asset_id, dim, vector FROM asset_embeddings WHERE model_key = ? ORDER BY asset_id',
    ).all(modelKey) as EmbeddingRow[];
    const dim = rows[0]?.dim ?? 0;
    const matrix = new Float32Array(rows.length * dim);
    const vectors = rows.map((row, i) => decodeVector(row.vector, matrix.subarray(i * dim, (i + 1) * dim)));
    return { modelKey, dim, ids: rows.map((row) => row.asset_id), vectors };
  }

  /** Merges the WAL into the database file and closes it; closing twice is harmless. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  /**
   * Now, or a millisecond after the newest asset if that is later: creation times strictly increase,
   * so newest first is insertion order, and an asset added while a client pages sorts before its cursor.
   */
  private nextCreatedAt(): string {
    this.lastCreatedMs = Math.max(Date.now(), this.lastCreatedMs + 1);
    return new Date(this.lastCreatedMs).toISOString();
  }

  /** Each distinct statement is compiled once, the filtered list queries included. */
  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function filterClause(filter: AssetFilter): { where: string[]; params: Record<string, string> } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (filter.source !== undefined) {
    where.push('source = @source');
    params['source'] = filter.source;
  }
  if (filter.generatorId !== undefined) {
    where.push('generator_id = @generatorId');
    params['generatorId'] = filter.generatorId;
  }
  if (filter.promptContains) {
    where.push(`prompt LIKE @promptPattern ESCAPE '\\'`);
    params['promptPattern'] = `%${filter.promptContains.replace(/[\\%_]/g, '\\$&')}%`;
  }
  return { where, params };
}

function whereSql(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

function json(value: Record<string, unknown> | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function toAsset(row: AssetRow): AssetRecord {
  return {
    id: row.id,
    mimeType: row.mime_type,
    width: row.width,
    height: row.height,
    byteSize: row.byte_size,
    createdAt: row.created_at,
    source: row.source,
    prompt: row.prompt,
    generatorId: row.generator_id,
    seed: row.seed,
    parameters: row.parameters === null ? null : (JSON.parse(row.parameters) as Record<string, unknown>),
    scores: row.scores === null ? null : (JSON.parse(row.scores) as Record<string, unknown>),
    editedFrom: row.edited_from,
    generationId: row.generation_id,
  };
}

function toCaption(row: CaptionRow): CaptionRecord {
  return {
    id: row.id,
    assetId: row.asset_id,
    caption: row.caption,
    clipScore: row.clip_score,
    refClipScore: row.ref_clip_score,
    createdAt: row.created_at,
  };
}
