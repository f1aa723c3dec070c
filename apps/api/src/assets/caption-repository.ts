import type { Selectable } from 'kysely';
import type { SqlDatabase } from '../database/database.js';
import type { AssetCaptionsTable } from '../database/tables.js';
import type { CaptionRecord, NewCaption } from './asset-record.js';

/** The `asset_captions` table: captions recorded on an asset, with their scores. */
export class CaptionRepository {
  constructor(private readonly database: SqlDatabase) {}

  async add(assetId: string, caption: NewCaption): Promise<CaptionRecord> {
    const row = await this.database.db
      .insertInto('asset_captions')
      .values({
        asset_id: assetId,
        caption: caption.caption,
        clip_score: caption.clipScore ?? null,
        ref_clip_score: caption.refClipScore ?? null,
        created_at: new Date().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCaption(row);
  }

  /** Captions of an asset, oldest first. */
  async of(assetId: string): Promise<CaptionRecord[]> {
    const rows = await this.database.db
      .selectFrom('asset_captions')
      .selectAll()
      .where('asset_id', '=', assetId)
      .orderBy('id')
      .execute();
    return rows.map(toCaption);
  }
}

function toCaption(row: Selectable<AssetCaptionsTable>): CaptionRecord {
  return {
    id: row.id,
    assetId: row.asset_id,
    caption: row.caption,
    clipScore: row.clip_score,
    refClipScore: row.ref_clip_score,
    createdAt: row.created_at,
  };
}
