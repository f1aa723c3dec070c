/**
 * The inference thread: owns the onnxruntime sessions and runs them. onnxruntime-node's `run` blocks the
 * thread that calls it for the whole inference, so running it here keeps the main thread free to decode
 * and resize the next batch, and to serve requests, meanwhile. Imports nothing of the project, so it
 * starts the same from source and from the build.
 */
import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { InferenceReply, InferenceRequest, WireTensor } from './inference-protocol.js';

const port = parentPort!;
const sessions = new Map<string, ort.InferenceSession>();
/** Feeds for the tower a combined model also runs but we do not need, sent once at load. */
let idleFeeds: Record<string, ort.Tensor> = {};

function tensor(t: WireTensor): ort.Tensor {
  return new ort.Tensor(t.type, t.data, t.dims);
}

function reply(message: InferenceReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function handle(request: InferenceRequest): Promise<void> {
  switch (request.kind) {
    case 'load': {
      const options: ort.InferenceSession.SessionOptions = request.options;
      const described: Record<string, { inputs: readonly string[]; outputs: readonly string[] }> = {};
      for (const file of request.files) {
        try {
          const session = await ort.InferenceSession.create(file, options);
          sessions.set(file, session);
          described[file] = { inputs: session.inputNames, outputs: session.outputNames };
        } catch (cause) {
          reply({ id: request.id, kind: 'error', load: true, file, message: (cause as Error).message });
          return;
        }
      }
      idleFeeds = Object.fromEntries(Object.entries(request.idleFeeds).map(([k, t]) => [k, tensor(t)]));
      reply({ id: request.id, kind: 'loaded', sessions: described });
      return;
    }
    case 'run': {
      const session = sessions.get(request.file)!;
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of request.idle) feeds[name] = idleFeeds[name]!;
      for (const [name, t] of Object.entries(request.feeds)) feeds[name] = tensor(t);
      const result = await session.run(feeds, [request.output]);
      const out = result[request.output]!;
      if (!(out.data instanceof Float32Array)) {
        reply({ id: request.id, kind: 'error', load: false, message: `output is ${out.type}, not float32` });
        return;
      }
      // A copy we own, so it can be transferred rather than cloned.
      const data = out.data.slice();
      out.dispose();
      reply({ id: request.id, kind: 'result', data, dims: out.dims.map(Number) }, [data.buffer]);
      return;
    }
    case 'release':
      for (const session of sessions.values()) await session.release();
      sessions.clear();
      reply({ id: request.id, kind: 'released' });
      return;
  }
}

// Requests are handled one at a time, in order: a session runs one inference at a time anyway.
let queue = Promise.resolve();
port.on('message', (request: InferenceRequest) => {
  queue = queue.then(() =>
    handle(request).catch((error: unknown) =>
      reply({
        id: request.id,
        kind: 'error',
        load: false,
        message: (error as Error).message ?? String(error),
      }),
    ),
  );
});
