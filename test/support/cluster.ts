import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeUpstream, startFakeOpenAI } from '#generators/test-support';
import {
  type TestServer,
  testPostgres,
  testRedis,
} from '../../apps/api/src/test-support/throwaway-servers.js';
import { type RunningApp, startApp, waitForOk } from './app-process.js';
import { gql } from './graphql-client.js';
import { writeGeneratorsConfig } from './generators-config.js';

const OPENAI_KEY = 'sk-e2e-distributed';

/** The fields of a job the distributed tests and the soak read. */
export const JOB_FIELDS = `id state attempts progress { stage done total } error { code message }
  generation { candidates { asset { id } } }`;

export interface JobView {
  id: string;
  state: string;
  attempts: number;
  error: { code: string; message: string } | null;
  generation: { candidates: { asset: { id: string } }[] } | null;
}

export type Role = 'api' | 'worker' | 'all';

/**
 * clipsmith in distributed mode on one machine: real Redis and PostgreSQL (throwaway servers unless
 * REDIS_URL / DATABASE_URL name running ones), a shared DATA_DIR, the procedural generator `local` and
 * an OpenAI-compatible fake upstream `oai`. Nodes are real processes of the built app.
 */
export class Cluster {
  readonly nodes: RunningApp[] = [];
  private readonly roles = new Map<RunningApp, Role>();

  private constructor(
    readonly redis: TestServer,
    readonly postgres: TestServer,
    readonly openai: FakeUpstream,
    private readonly dataDir: string,
    readonly env: Record<string, string>,
  ) {}

  /** `env` is added to every node's environment (WORKER_CONCURRENCY, JOB_LOCK_SECONDS, …). */
  static async start(env: Record<string, string> = {}): Promise<Cluster> {
    const [redis, postgres, openai] = await Promise.all([
      testRedis({ throwaway: true }),
      testPostgres(),
      startFakeOpenAI({ apiKey: OPENAI_KEY }),
    ]);
    const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-distributed-'));
    const config = await writeGeneratorsConfig(dataDir, openai, OPENAI_KEY);
    return new Cluster(redis, postgres, openai, dataDir, {
      DATA_DIR: join(dataDir, 'shared'),
      CONFIG_FILE: config,
      REDIS_URL: redis.url,
      DATABASE_URL: postgres.url,
      ...env,
    });
  }

  /** Starts a node of `role` and waits until it is ready. */
  async node(role: Role, env: Record<string, string> = {}): Promise<RunningApp> {
    const app = await startApp({ ...this.env, ...env, CLIPSMITH_ROLE: role });
    this.nodes.push(app);
    this.roles.set(app, role);
    await waitForOk(app.url, '/readyz');
    return app;
  }

  /** The nodes of `role` whose process has not exited. */
  running(role: Role): RunningApp[] {
    return this.nodes.filter(
      (n) => this.roles.get(n) === role && n.process.exitCode === null && n.process.signalCode === null,
    );
  }

  /** A running node of `role`, started when there is none. */
  async someNode(role: Role): Promise<RunningApp> {
    return this.running(role)[0] ?? (await this.node(role));
  }

  /** A job as an API node answers it. */
  async job(api: RunningApp, id: string): Promise<JobView> {
    const answer = await gql<{ job: JobView }>(
      api.url,
      `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`,
      { id },
    );
    return answer.data!.job;
  }

  /** Submits a generate job through an API node; its id. */
  async submitGenerate(api: RunningApp, input: Record<string, unknown>): Promise<string> {
    const answer = await gql<{ submitGenerate: JobView }>(
      api.url,
      `mutation($input: GenerateInput!) { submitGenerate(input: $input) { ${JOB_FIELDS} } }`,
      { input },
    );
    if (answer.errors) throw new Error(`submitGenerate failed: ${JSON.stringify(answer.errors)}`);
    return answer.data!.submitGenerate.id;
  }

  /** Kills every node left, stops the servers and removes the shared folder. */
  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop('SIGKILL')));
    await Promise.all([this.redis.dispose(), this.postgres.dispose(), this.openai.close()]);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
