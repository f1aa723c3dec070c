import type { Database } from 'better-sqlite3';

/** One step of the schema. Applied steps are never edited: a change is a new step at the end. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, step by step. To change it, append the next version, e.g.
 *
 *   { version: 2, name: 'asset tags', sql: `ALTER TABLE assets ADD COLUMN tags TEXT` },
 *
 * and every database opened afterwards runs it once, at open (see migrations.spec.ts).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'assets, captions and embeddings',
    sql: `
      CREATE TABLE assets (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        mime_type TEXT NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        byte_size INTEGER NOT NULL CHECK (byte_size > 0),
        created_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('generated', 'uploaded', 'edited', 'heatmap')),
        prompt TEXT,
        generator_id TEXT,
        seed INTEGER,
        parameters TEXT CHECK (json_valid(parameters)),
        scores TEXT CHECK (json_valid(scores)),
        edited_from TEXT REFERENCES assets (id),
        generation_id TEXT
      ) STRICT;
      CREATE INDEX assets_newest_first ON assets (created_at DESC, id DESC);

      CREATE TABLE asset_captions (
        id INTEGER PRIMARY KEY,
        asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
        caption TEXT NOT NULL,
        clip_score REAL,
        ref_clip_score REAL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX asset_captions_by_asset ON asset_captions (asset_id, id);

      CREATE TABLE asset_embeddings (
        asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
        model_key TEXT NOT NULL,
        dim INTEGER NOT NULL CHECK (dim > 0),
        vector BLOB NOT NULL CHECK (length(vector) = 4 * dim),
        PRIMARY KEY (asset_id, model_key)
      ) STRICT;
      CREATE INDEX asset_embeddings_by_model ON asset_embeddings (model_key, asset_id);
    `,
  },
];

/**
 * Brings the database up to the last migration, all pending steps in one transaction: it is at the
 * old version or the new one, never between. Returns the versions it applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(`migration ${index + 1} is numbered ${migration.version}`);
  });
  const latest = migrations.length;
  // IMMEDIATE takes the write lock first, so two processes opening one database migrate it once.
  return db
    .transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT`);
      const { current } = db.prepare('SELECT coalesce(max(version), 0) AS current FROM migrations').get() as {
        current: number;
      };
      if (current > latest) {
        throw new Error(
          `the database is at schema version ${current}, newer than this clipsmith knows (${latest}): upgrade clipsmith`,
        );
      }
      const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
      const pending = migrations.slice(current);
      for (const { version, name, sql } of pending) {
        db.exec(sql);
        record.run(version, name, new Date().toISOString());
      }
      return pending.map((m) => m.version);
    })
    .immediate();
}
