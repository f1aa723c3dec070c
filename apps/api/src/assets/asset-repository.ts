import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { SqlDatabase } from '../database/database.js';
import type { AssetsTable, Tables } from '../database/tables.js';
import { ApiError } from '../errors/api-error.js';
import type {
  AssetFilter,
  AssetListArgs,
  AssetPage,
  AssetRecord,
  AssetSource,
  NewAsset,
} from './asset-record.js';
import { decodeCursor, newestFirstAfter, pageOf } from './list-cursor.js';

export const MAX_PAGE_SIZE = 100;

/** The `assets` table, the same queries over SQLite and PostgreSQL. */
export class AssetRepository {
  /** Creation time (ms) of the newest asset: read on the first insert, then advanced by each one. */
  private lastCreated: Promise<number> | null = null;

  constructor(private readonly database: SqlDatabase) {}

  /**
   * Adds an asset, or returns the one already stored under its id. The first record of a set of bytes
   * wins, metadata included: an asset's provenance never changes under a client that has read it, and
   * a second story for the same bytes (an upload of a generated image) belongs to its caller's records.
   */
  async insert(asset: NewAsset): Promise<AssetRecord> {
    const createdAt = await this.nextCreatedAt();
    await this.database.db
      .insertInto('assets')
      .values({
        id: asset.id,
        mime_type: asset.mimeType,
        width: asset.width,
        height: asset.height,
        byte_size: asset.byteSize,
        created_at: createdAt,
        source: asset.source,
        prompt: asset.prompt ?? null,
        generator_id: asset.generatorId ?? null,
        seed: asset.seed ?? null,
        parameters: json(asset.parameters),
        scores: json(asset.scores),
        edited_from: asset.editedFrom ?? null,
        generation_id: asset.generationId ?? null,
      })
      .onConflict((c) => c.column('id').doNothing())
      .execute();
    return (await this.get(asset.id))!;
  }

  async get(id: string): Promise<AssetRecord | null> {
    const row = await this.database.db
      .selectFrom('assets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAsset(row) : null;
  }

  /** A page of assets, newest first (ties by id), filtered. */
  async list({ filter = {}, first, after }: AssetListArgs): Promise<AssetPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new ApiError('BAD_REQUEST', `first must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${first})`);
    }
    const position = after ? decodeCursor(after) : null;
    const filtered = this.database.db.selectFrom('assets').where((eb) => matching(eb, filter));
    const [rows, { total }] = await Promise.all([
      newestFirstAfter(filtered.selectAll(), position, first).execute(),
      filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { ...pageOf(rows, first, toAsset), totalCount: total };
  }

  /**
   * Now, or a millisecond after the newest asset if that is later: creation times strictly increase,
   * so newest first is insertion order, and an asset added while a client pages sorts before its cursor.
   */
  private async nextCreatedAt(): Promise<string> {
    // Chained, so concurrent inserts take distinct times even while the first read is in flight.
    const next = (this.lastCreated ?? this.newestCreatedMs()).then((last) => Math.max(Date.now(), last + 1));
    this.lastCreated = next;
    return new Date(await next).toISOString();
  }

  private async newestCreatedMs(): Promise<number> {
    const { newest } = await this.database.db
      .selectFrom('assets')
      .select((eb) => eb.fn.max('created_at').as('newest'))
      .executeTakeFirstOrThrow();
    return newest ? Date.parse(newest) : 0;
  }
}

function matching(eb: ExpressionBuilder<Tables, 'assets'>, filter: AssetFilter) {
  const conditions = [];
  if (filter.source !== undefined) conditions.push(eb('source', '=', filter.source));
  if (filter.generatorId !== undefined) conditions.push(eb('generator_id', '=', filter.generatorId));
  if (filter.editedFrom !== undefined) conditions.push(eb('edited_from', '=', filter.editedFrom));
  if (filter.promptContains) {
    // lower() on both sides: case-insensitive in both databases (PostgreSQL's LIKE is not).
    const pattern = `%${filter.promptContains.replace(/[\\%_]/g, '\\$&')}%`;
    conditions.push(sql<boolean>`lower(prompt) LIKE lower(${pattern}) ESCAPE '\\'`);
  }
  return eb.and(conditions);
}

function json(value: Record<string, unknown> | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function toAsset(row: Selectable<AssetsTable>): AssetRecord {
  return {
    id: row.id,
    mimeType: row.mime_type,
    width: row.width,
    height: row.height,
    byteSize: row.byte_size,
    createdAt: row.created_at,
    source: row.source as AssetSource,
    prompt: row.prompt,
    generatorId: row.generator_id,
    seed: row.seed,
    parameters: row.parameters === null ? null : (JSON.parse(row.parameters) as Record<string, unknown>),
    scores: row.scores === null ? null : (JSON.parse(row.scores) as Record<string, unknown>),
    editedFrom: row.edited_from,
    generationId: row.generation_id,
  };
}
