import { type SelectQueryBuilder, sql } from 'kysely';
import { ApiError } from '../errors/api-error.js';
import { isAssetId } from './asset-id.js';

/** A position in the newest-first order: the (created_at, id) of the last item seen. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** The position a cursor holds; `isId` checks its id (asset ids unless told otherwise). */
export function decodeCursor(cursor: string, isId: (id: unknown) => boolean = isAssetId): ListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2) throw notACursor();
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== 'string' || !ISO_TIME.test(createdAt) || !isId(id)) throw notACursor();
  return { createdAt, id: id as string };
}

function notACursor(): ApiError {
  return new ApiError(
    'BAD_REQUEST',
    'after is not a cursor of this list: pass the endCursor of the previous page',
  );
}

/**
 * `query`'s rows after `position` in the newest-first order (ties by id), one more than `first`: the
 * extra row says whether a next page exists (see pageOf). Its table needs `created_at` and `id`.
 */
export function newestFirstAfter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  position: ListPosition | null,
  first: number,
): SelectQueryBuilder<DB, TB, O> {
  return query
    .$if(position !== null, (q) =>
      q.where(sql<boolean>`(created_at, id) < (${position!.createdAt}, ${position!.id})`),
    )
    .orderBy(sql`created_at`, 'desc')
    .orderBy(sql`id`, 'desc')
    .limit(first + 1);
}

/** The page newestFirstAfter's rows make: the first `first` items, and the cursor after the last. */
export function pageOf<Row, Item extends ListPosition>(
  rows: readonly Row[],
  first: number,
  toItem: (row: Row) => Item,
): { items: Item[]; endCursor: string | null; hasNextPage: boolean } {
  const items = rows.slice(0, first).map(toItem);
  const last = items.at(-1);
  return { items, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > first };
}
