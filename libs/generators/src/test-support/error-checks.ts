import { inspect } from 'node:util';
import { expect } from 'vitest';
import { GeneratorError } from '../errors.js';

/** The GeneratorError a promise rejects with (failing the test if it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<GeneratorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GeneratorError);
  return error as GeneratorError;
}

/** Fails if `secret` shows anywhere in the error: its JSON, its inspected form, or any cause's message. */
export function expectSecretFree(error: unknown, secret: string): void {
  const views = [JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
  for (let e: unknown = error; e instanceof Error; e = e.cause) views.push(e.message, String(e.stack));
  for (const view of views) expect(view).not.toContain(secret);
}
