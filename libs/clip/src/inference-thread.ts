import { Worker } from 'node:worker_threads';
import type { InferenceReply, InferenceRequest } from './inference-protocol.js';

type Request = InferenceRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/**
 * The main thread's handle on the inference thread: requests go in order, each answered by id. The
 * thread keeps the process alive only while a request is pending, so an engine nobody disposed does not
 * hold a CLI open.
 */
export class InferenceThread {
  private readonly pending = new Map<number, (reply: InferenceReply) => void>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: InferenceReply) => {
      const settle = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      settle?.(reply);
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const settle of this.pending.values()) {
        settle({ id: 0, kind: 'error', load: false, message: error.message });
      }
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the inference thread exited (code ${code})`)));
  }

  static start(): InferenceThread {
    const here = import.meta.url;
    // From source (tsx, vitest) the worker is TypeScript: a tiny bootstrap registers tsx in it first.
    const fromSource = here.endsWith('.ts');
    const entry = new URL(fromSource ? './inference-worker.ts' : './inference-worker.js', here);
    if (!fromSource) return new InferenceThread(new Worker(entry));
    const boot = [
      "import { workerData } from 'node:worker_threads';",
      '(await import(workerData.loader)).register();',
      'await import(workerData.entry);',
    ].join('\n');
    const worker = new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)), {
      execArgv: [],
      workerData: { loader: import.meta.resolve('tsx/esm/api'), entry: entry.href },
    });
    return new InferenceThread(worker);
  }

  request(message: Request, transfer: ArrayBuffer[] = []): Promise<InferenceReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<InferenceReply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error('the engine was disposed');
    await this.worker.terminate();
  }
}
