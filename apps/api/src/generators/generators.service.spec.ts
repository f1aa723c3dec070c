import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_CAPABILITIES, pngs, ScriptedGenerator } from '#generators/test-support';
import { toApiError } from '../errors/api-error.js';
import { type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { GeneratorsService } from './generators.service.js';

/** A plugin's generator holding a connection pool: it must be closed when the app stops. */
class PooledGenerator extends ScriptedGenerator {
  closed = 0;
  async close(): Promise<void> {
    this.closed++;
  }
}

const writer = new PooledGenerator('writer', pngs());
const editor = new PooledGenerator('editor', pngs(), { ...OPEN_CAPABILITIES, imageToImage: true });

let app: ServiceApp;
let service: GeneratorsService;
beforeAll(async () => {
  app = await serviceApp({ generators: [writer, editor] });
  service = app.context.get(GeneratorsService);
});
afterAll(() => app?.close());

describe('GeneratorsService', () => {
  it('selects the generators a request names, all when it names none', () => {
    expect(service.list().map((g) => g.id)).toEqual(['writer', 'editor']);
    expect(service.select(null).map((g) => g.id)).toEqual(['writer', 'editor']);
    expect(service.select(['editor']).map((g) => g.id)).toEqual(['editor']);
    expect(service.editors([]).map((g) => g.id)).toEqual(['editor']);
    expect(service.editors(['writer'])).toEqual([]);
  });

  it('refuses an unknown generator with BAD_REQUEST, naming the configured ones', () => {
    let error: unknown;
    try {
      service.select(['nope']);
    } catch (e) {
      error = e;
    }
    expect(toApiError(error)).toMatchObject({
      code: 'BAD_REQUEST',
      message: /"nope"; configured: writer, editor/,
    });
  });

  it('closes every generator when the app shuts down', async () => {
    const pools = [new PooledGenerator('a', pngs()), new PooledGenerator('b', pngs())];
    const other = await serviceApp({ generators: pools });
    expect(pools.map((g) => g.closed)).toEqual([0, 0]);
    await other.close();
    expect(pools.map((g) => g.closed)).toEqual([1, 1]);
    expect(writer.closed).toBe(0);
  });
});
