import { authHeaders } from '../auth/api-key';

/** An image the views can work on: stored on the server, shown through its (signed) URL. */
export interface PickedImage {
  id: string;
  url: string;
  width: number;
  height: number;
}

/**
 * Stores a file with `POST /assets` (the REST upload; GraphQL would need it re-sent with every operation)
 * and returns it as an asset the views name by id.
 */
export async function uploadImage(file: Blob): Promise<PickedImage> {
  const form = new FormData();
  form.set('file', file, file instanceof File ? file.name : 'pasted.png');
  const response = await fetch('/assets', { method: 'POST', body: form, headers: authHeaders() });
  const body = (await response.json()) as Partial<PickedImage> & { message?: string };
  if (!response.ok || !body.id || !body.url) {
    throw new Error(body.message ?? `the upload failed (${response.status})`);
  }
  return { id: body.id, url: body.url, width: body.width ?? 0, height: body.height ?? 0 };
}
