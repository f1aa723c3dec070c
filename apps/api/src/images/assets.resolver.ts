import { Inject } from '@nestjs/common';
import { Args, Field, ID, InputType, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AssetService } from '../assets/asset-service.js';
import type { AssetSource } from '../assets/asset-record.js';
import { encodeCursor } from '../assets/list-cursor.js';
import { Asset } from './asset.type.js';
import { assetView } from './asset-view.js';

@InputType()
export class AssetFilterInput {
  @Field(() => String, { nullable: true, description: 'generated, uploaded, edited or heatmap.' }) source?:
    string | null;
  @Field(() => String, { nullable: true }) generator?: string | null;
  @Field(() => String, { nullable: true, description: 'Substring of the prompt, case-insensitive.' })
  promptContains?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Only the edits of this asset (its children in the lineage).',
  })
  editedFrom?: string | null;
}

@ObjectType()
export class AssetEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Asset) node!: Asset;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType()
export class AssetConnection {
  @Field(() => [AssetEdge]) edges!: AssetEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@Resolver()
export class AssetsResolver {
  constructor(@Inject(AssetService) private readonly service: AssetService) {}

  @Query(() => Asset, { nullable: true })
  async asset(@Args('id', { type: () => ID }) id: string): Promise<Asset | null> {
    const record = await this.service.get(id);
    return record ? assetView(record) : null;
  }

  @Query(() => AssetConnection, { description: 'Stored assets, newest first, with cursor pagination.' })
  async assets(
    @Args('filter', { type: () => AssetFilterInput, nullable: true }) filter: AssetFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AssetConnection> {
    const page = await this.service.list({
      filter: {
        ...(filter?.source ? { source: filter.source as AssetSource } : {}),
        ...(filter?.generator ? { generatorId: filter.generator } : {}),
        ...(filter?.promptContains ? { promptContains: filter.promptContains } : {}),
        ...(filter?.editedFrom ? { editedFrom: filter.editedFrom } : {}),
      },
      first,
      after,
    });
    return {
      // Every edge's cursor is its own position, so a client can resume after any row.
      edges: page.items.map((record) => ({ cursor: encodeCursor(record), node: assetView(record) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }
}
