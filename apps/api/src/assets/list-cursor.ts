import { isAssetId } from './asset-id.js';

/** A list argument a client got wrong: a page size out of range, or a cursor that is not one. */
export class ListArgumentError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ListArgumentError';
  }
}

/** A position in the newest-first order: the (created_at, id) of the last item seen. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2) throw notACursor();
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== 'string' || !ISO_TIME.test(createdAt) || !isAssetId(id)) throw notACursor();
  return { createdAt, id };
}

function notACursor(): ListArgumentError {
  return new ListArgumentError('after is not a cursor of this list: pass the endCursor of the previous page');
}
