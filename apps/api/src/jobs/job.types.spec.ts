import { describe, expect, it } from 'vitest';
import type { JobRecord } from './job-record.js';
import { jobView } from './job.types.js';

const stored = (kind: JobRecord['kind'], result: unknown): JobRecord => ({
  id: 'j1',
  kind,
  state: 'SUCCEEDED',
  owner: 'anonymous',
  requestId: null,
  input: {},
  progress: { stage: 'done', done: 1, total: 1 },
  result,
  error: null,
  attempts: 1,
  cancelRequested: false,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:01.000Z',
  startedAt: '2026-12-01T00:00:00.500Z',
  finishedAt: '2026-12-01T00:00:01.000Z',
});

describe('jobView', () => {
  it('answers an edit stored before alternatives existed with none, not a null on a list', () => {
    const view = jobView(stored('edit', { accepted: true, operations: [] }));
    expect(view.edit).toEqual({ accepted: true, operations: [], alternatives: [] });
    expect(view.generation).toBeNull();
  });

  it('keeps the alternatives an edit stored, and a generation as it is', () => {
    const alternatives = [{ accepted: false }];
    expect(jobView(stored('edit', { accepted: true, alternatives })).edit?.alternatives).toBe(alternatives);
    expect(jobView(stored('generate', { candidates: [] })).generation).toEqual({ candidates: [] });
  });
});
