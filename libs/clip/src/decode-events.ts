import { channel } from 'node:diagnostics_channel';

/**
 * Every decode of encoded image bytes to pixels is published on this diagnostics channel as an
 * ImageDecodeEvent, so a host can count them (the API's clipsmith_image_decodes_total) without the
 * engine knowing about metrics.
 */
export const IMAGE_DECODE_CHANNEL = 'clipsmith:image-decode';

/**
 * Where a decode happened: `verify` where an image enters (verifyImage), `preprocess` when CLIP is handed
 * bytes nobody verified, `edit-result` when a lossy edit result is read back, `decode` for other callers.
 */
export type DecodeStage = 'verify' | 'preprocess' | 'edit-result' | 'mask' | 'moderation' | 'decode';

export interface ImageDecodeEvent {
  stage: DecodeStage;
}

const decodes = channel(IMAGE_DECODE_CHANNEL);

export function noteDecode(stage: DecodeStage): void {
  if (decodes.hasSubscribers) decodes.publish({ stage } satisfies ImageDecodeEvent);
}
