import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { EditService } from './edit.service.js';
import { EditImageInput, EditResult } from './edit.types.js';

@Resolver()
export class EditResolver {
  constructor(@Inject(EditService) private readonly edits: EditService) {}

  @Mutation(() => EditResult, {
    description:
      'Edits an image toward an instruction, verified by CLIP; says whether the edit was accepted.',
  })
  editImage(
    @Args('input', { type: () => EditImageInput }) input: EditImageInput,
    @Context('req') req: IncomingMessage,
  ): Promise<EditResult> {
    return this.edits.edit(input, requestSignal(req));
  }
}
