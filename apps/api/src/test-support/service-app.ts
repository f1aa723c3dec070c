import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorRegistry, type ImageGenerator, procedural } from '#generators';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AssetService } from '../assets/asset-service.js';
import { type AppConfig, loadAppConfig } from '../config/app-config.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { buildGeneratorRegistry } from '../generators/build-registry.js';
import { ServicesModule } from '../services.module.js';

export interface ServiceApp {
  /** The services, wired as `npm start` wires them, without GraphQL or an HTTP server. */
  context: INestApplicationContext;
  config: AppConfig;
  dataDir: string;
  /** Runs every shutdown hook, then removes the data folder. */
  close(): Promise<void>;
}

export interface ServiceAppOptions {
  /** Settings as environment variables, over the embedded defaults. */
  env?: Record<string, string>;
  /** The generators to serve instead of the procedural one: scripted stand-ins for third-party plugins. */
  generators?: readonly ImageGenerator[];
  /** A data folder to reuse (a restart); it is kept on close. Default: a fresh one, removed on close. */
  dataDir?: string;
}

/**
 * The whole service for a service spec: a temp data folder (files and SQLite), the bundled model
 * loaded (but for role `api`), and the procedural generator or the given ones. Real inputs all the way down.
 */
export async function serviceApp(options: ServiceAppOptions = {}): Promise<ServiceApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'clipsmith-service-')));
  const config = loadAppConfig({ DATA_DIR: dataDir, ...modelOverride(), ...options.env });
  const registry = options.generators
    ? await registryOf(options.generators)
    : await buildGeneratorRegistry(config.file, {});
  const context = await NestFactory.createApplicationContext(ServicesModule.forRoot({ config, registry }), {
    logger: false,
  });
  // An `api` node loads no model: its model calls go to workers.
  if (config.role !== 'api') await context.get(ClipEngineService).load();
  return {
    context,
    config,
    dataDir,
    async close() {
      await context.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A registry serving these generator objects, built the way configured plugins are. */
function registryOf(generators: readonly ImageGenerator[]): Promise<GeneratorRegistry> {
  const byId = new Map(generators.map((g) => [g.id, g]));
  return GeneratorRegistry.create(
    generators.map((g) => ({ id: g.id, use: 'given', options: {} })),
    {
      builtins: [{ name: 'given', create: (id) => byId.get(id)! }],
      baseDir: process.cwd(),
      environment: { env: {}, fetch },
    },
  );
}

/** E2E_MODEL_DIR runs the specs against another model folder, as it does the end-to-end suite. */
function modelOverride(): Record<string, string> {
  const dir = process.env['E2E_MODEL_DIR'];
  return dir ? { MODEL_DIR: dir } : {};
}

/** A PNG of a procedural scene the bundled model was trained on, e.g. "a red circle on a white background". */
export async function sceneBytes(prompt: string, seed = 1, size = 224): Promise<Buffer> {
  const scene = procedural.realizeScene(procedural.parsePrompt(prompt), { seed, fidelity: 1 });
  return (await procedural.renderScene(scene, { width: size, height: size })).bytes;
}

/** How many assets the service has stored. */
export async function storedAssets(app: ServiceApp): Promise<number> {
  return (await app.context.get(AssetService).list({ first: 1 })).totalCount;
}
