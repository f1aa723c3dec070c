import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, HTTP_STATUS } from '../errors/api-error.js';
import { multipartErrors } from './multipart-errors.js';

let url: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  const answer: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    const code = error instanceof ApiError ? error.code : 'INTERNAL';
    response.status(HTTP_STATUS[code]).json({ code });
  };
  app.use('/graphql', express.json(), graphqlUploadExpress({ maxFiles: 1 }), multipartErrors);
  app.post('/graphql', (_request, response) => void response.json({ ok: true }));
  app.use(answer);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  close = () => server.close();
});
afterAll(() => close());

const post = async (body: string | FormData, contentType?: string) => {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const response = await fetch(url, { method: 'POST', headers, body });
  return [response.status, ((await response.json()) as { code?: string }).code];
};

describe('multipartErrors', () => {
  it('answers a multipart body busboy cannot parse with BAD_REQUEST, not INTERNAL', async () => {
    expect(await post('garbage', 'multipart/form-data; boundary=x')).toEqual([400, 'BAD_REQUEST']);
  });

  it('answers a multipart request without the spec fields with BAD_REQUEST', async () => {
    const form = new FormData();
    form.set('other', 'x');
    expect(await post(form)).toEqual([400, 'BAD_REQUEST']);
  });

  it('answers more files than allowed with TOO_MANY_ITEMS', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: '{ x }', variables: { a: null, b: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.a'], 1: ['variables.b'] }));
    form.set('0', new Blob(['a']), 'a.png');
    form.set('1', new Blob(['b']), 'b.png');
    expect(await post(form)).toEqual([400, 'TOO_MANY_ITEMS']);
  });

  it('leaves the errors of other requests alone', async () => {
    expect(await post('{bad', 'application/json')).toEqual([500, 'INTERNAL']);
  });
});
