import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassificationService } from '../classification/classification.service.js';
import { toApiError } from '../errors/api-error.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import {
  type ModelCallKind,
  MODEL_CALL_HANDLERS,
  type ModelCallHandlers,
  runModelCall,
} from './model-call-handlers.js';
import { InProcessModelCalls, MODEL_CALL_PORT } from './model-call-port.js';

let app: ServiceApp;
beforeAll(async () => {
  app = await serviceApp();
});
afterAll(() => app?.close());

const signal = new AbortController().signal;

describe('the model-call port of a node with the model', () => {
  it('is the in-process one, and runs the service a resolver used to call', async () => {
    const port = app.context.get(MODEL_CALL_PORT);
    expect(port).toBeInstanceOf(InProcessModelCalls);
    const request = {
      image: { base64: (await sceneBytes('a green star on a white background')).toString('base64') },
      labels: ['a green star', 'a red circle'],
    };
    expect(await port.call('classify', request, signal)).toEqual(
      await app.context.get(ClassificationService).classify(request, signal),
    );
  });

  it('refuses a call this build does not know (a node of another version)', async () => {
    const handlers = app.context.get<symbol, ModelCallHandlers>(MODEL_CALL_HANDLERS);
    const error = await runModelCall(handlers, 'embed' as ModelCallKind, {} as never, signal).catch(
      (e: unknown) => e,
    );
    expect(toApiError(error)).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'no model call named embed on this node',
    });
  });
});
