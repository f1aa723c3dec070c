import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiError } from '../errors/api-error.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { ClassificationService } from './classification.service.js';

let app: ServiceApp;
let service: ClassificationService;
let redCircle: string;
beforeAll(async () => {
  app = await serviceApp();
  service = app.context.get(ClassificationService);
  redCircle = (await sceneBytes('a red circle on a white background')).toString('base64');
});
afterAll(() => app?.close());

const signal = new AbortController().signal;
const LABELS = ['a red circle', 'a blue square', 'a green triangle'];

describe('ClassificationService', () => {
  it('ranks the labels for an image, best first, probabilities summing to 1', async () => {
    const scores = await service.classify({ image: { base64: redCircle }, labels: LABELS }, signal);
    expect(scores[0]!.label).toBe('a red circle');
    expect(scores.map((s) => s.label).sort()).toEqual([...LABELS].sort());
    expect(scores.reduce((sum, s) => sum + s.probability, 0)).toBeCloseTo(1, 5);
  });

  it('sharpens with a lower temperature and takes templates', async () => {
    const image = { base64: redCircle };
    const warm = await service.classify({ image, labels: LABELS, temperature: 4 }, signal);
    const cold = await service.classify({ image, labels: LABELS, temperature: 0.25 }, signal);
    expect(cold[0]!.probability).toBeGreaterThan(warm[0]!.probability);
    const plain = await service.classify({ image, labels: LABELS, templates: ['{}'] }, signal);
    expect(plain[0]!.label).toBe('a red circle');
  });

  it.each([
    [{ labels: ['only one'] }, 'BAD_REQUEST', /at least 2/],
    [{ labels: LABELS, temperature: 0 }, 'BAD_REQUEST', /temperature must be positive/],
    [{ labels: LABELS, templates: [] }, 'BAD_REQUEST', /templates needs at least 1/],
    [{ labels: LABELS, templates: ['no slot'] }, 'BAD_REQUEST', /has no \{\}/],
    [{ labels: ['a', 'x'.repeat(2001)] }, 'PROMPT_TOO_LONG', /labels\[1\] has 2001 characters/],
  ])('refuses %o', async (request, code, message) => {
    const error = await service
      .classify({ image: { base64: redCircle }, ...request }, signal)
      .catch((e: unknown) => e);
    expect(toApiError(error)).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});
