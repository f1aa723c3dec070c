import type { Provider } from '@nestjs/common';
import { CaptionService } from '../captions/caption.service.js';
import { ClassificationService } from '../classification/classification.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ImageInputService } from '../images/image-input.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { ModerationService } from '../moderation/moderation.service.js';
import { RetrievalService } from '../retrieval/retrieval.service.js';
import { BullModelCallQueue } from './bull-model-call-queue.js';
import { MODEL_CALL_HANDLERS, type ModelCallHandlers, modelCallHandlers } from './model-call-handlers.js';
import { InProcessModelCalls, MODEL_CALL_PORT, QueuedModelCalls } from './model-call-port.js';
import { MODEL_CALL_QUEUE, ModelCallServer } from './model-call-server.js';

/** The quick model calls: their handlers, the queue of distributed mode, the port resolvers call, and its server. */
export const MODEL_CALL_PROVIDERS: Provider[] = [
  {
    provide: MODEL_CALL_HANDLERS,
    inject: [ClassificationService, CaptionService, ModerationService, RetrievalService],
    useFactory: (
      classification: ClassificationService,
      captions: CaptionService,
      moderation: ModerationService,
      retrieval: RetrievalService,
    ) => modelCallHandlers({ classification, captions, moderation, retrieval }),
  },
  {
    provide: MODEL_CALL_QUEUE,
    inject: [APP_CONFIG, JobEvents],
    useFactory: (config: AppConfig, events: JobEvents) =>
      config.redisUrl
        ? new BullModelCallQueue({ redisUrl: config.redisUrl, ...config.modelCalls, cancels: events })
        : null,
  },
  {
    provide: MODEL_CALL_PORT,
    inject: [APP_CONFIG, MODEL_CALL_HANDLERS, MODEL_CALL_QUEUE, ImageInputService],
    // An `api` node has no model: its calls go to the workers. Every other node answers its own.
    useFactory: (
      config: AppConfig,
      handlers: ModelCallHandlers,
      queue: BullModelCallQueue | null,
      images: ImageInputService,
    ) =>
      config.role === 'api' && queue
        ? new QueuedModelCalls(queue, images)
        : new InProcessModelCalls(handlers),
  },
  ModelCallServer,
];
