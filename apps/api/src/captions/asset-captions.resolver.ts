import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AssetService } from '../assets/asset-service.js';
import { Asset } from '../images/asset.type.js';
import { StoredCaption } from './caption.types.js';

/** `Asset.captions`: what scoreCaptions recorded on the asset, read only when a query asks for it. */
@Resolver(() => Asset)
export class AssetCaptionsResolver {
  constructor(@Inject(AssetService) private readonly assets: AssetService) {}

  @ResolveField(() => [StoredCaption], {
    description: 'Captions recorded on this asset by scoreCaptions with store: true, oldest first.',
  })
  captions(@Parent() asset: Asset): Promise<StoredCaption[]> {
    return this.assets.captions(asset.id);
  }
}
