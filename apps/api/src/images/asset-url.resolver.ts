import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AssetUrls } from '../assets/asset-urls.js';
import { Asset } from './asset.type.js';

/** `Asset.url`, wherever an asset appears in a result: built by AssetUrls, signed when keys are set. */
@Resolver(() => Asset)
export class AssetUrlResolver {
  constructor(@Inject(AssetUrls) private readonly urls: AssetUrls) {}

  @ResolveField(() => String, {
    description:
      'Where to GET the bytes, relative to the server; with API keys set, signed to work without the key until it expires.',
  })
  url(@Parent() asset: Asset): string {
    return this.urls.urlOf(asset.id);
  }
}
