/**
 * Prints the code-first GraphQL schema, sorted, as the committed schema.gql holds it:
 * `node dist/apps/api/src/graphql/emit-schema.js > schema.gql` (npm run schema).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { RESOLVERS } from './resolvers.js';

const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
await app.init();
const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
process.stdout.write(printSchema(lexicographicSortSchema(schema)) + '\n');
await app.close();
