import { Field, ID, InputType } from '@nestjs/graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/Upload.mjs';

@InputType({
  description: 'An image: exactly one of a stored asset, an upload, base64 bytes, or an http(s) URL.',
})
export class ImageInput {
  @Field(() => ID, { nullable: true })
  assetId?: string | null;

  @Field(() => String, { nullable: true, description: 'Base64 bytes, optionally as a data: URL.' })
  base64?: string | null;

  @Field(() => String, { nullable: true, description: 'Fetched by the server, with SSRF protection.' })
  url?: string | null;

  @Field(() => GraphQLUpload, {
    nullable: true,
    description: 'A multipart upload (GraphQL multipart request spec).',
  })
  upload?: Promise<FileUpload> | null;
}
