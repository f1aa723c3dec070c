import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { type Observable, tap } from 'rxjs';
import { MetricsService } from './metrics.service.js';

/** Times every GraphQL operation and REST route into clipsmith_request_duration_seconds. */
@Injectable()
export class RequestMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation =
      context.getType<string>() === 'graphql'
        ? `graphql:${GqlExecutionContext.create(context).getInfo<{ fieldName: string }>().fieldName}`
        : `${context.switchToHttp().getRequest<Request>().method} ${context.getClass().name}.${context.getHandler().name}`;
    const end = this.metrics.requestSeconds.startTimer({ operation });
    return next
      .handle()
      .pipe(tap({ next: () => end({ outcome: 'ok' }), error: () => end({ outcome: 'error' }) }));
  }
}
