import type { ClipPort } from '../clip-port.js';
import { type EditMask, maskFromImage, maskRegion, type Region, resizeMask } from './edit-mask.js';
import type { ImageLimits, VerifiedImage } from '#clip';
import type { RgbImage } from './image-io.js';
import { DEFAULT_LOCATE_OPTIONS, locatePart, type LocateOptions } from './locate-part.js';

/** Where an edit may change the picture, at the working copy's size and at full size. */
export interface EditArea {
  /** `caller`: the mask given; `located`: the part the instruction names, found by CLIP. */
  source: 'caller' | 'located';
  part: string | null;
  working: EditMask;
  full: EditMask;
  /** The box around the editable pixels, in full-size pixels. */
  region: Region;
  /** CLIP image evaluations the localiser spent (0 for a caller's mask). */
  evaluations: number;
}

export type AreaDecision =
  | { kind: 'whole' }
  | { kind: 'area'; area: EditArea }
  | { kind: 'absent'; part: string; reason: string; evaluations: number };

/**
 * What an edit may touch: the caller's mask when given (it overrides the localiser), else the part the
 * instruction names, located in the working copy; the whole picture when it names none.
 */
export async function decideArea(
  clip: ClipPort,
  images: { working: RgbImage; full: RgbImage },
  request: {
    mask?: Uint8Array | VerifiedImage | undefined;
    part: string | null;
    locate?: Partial<LocateOptions> | undefined;
  },
  limits: ImageLimits,
): Promise<AreaDecision> {
  const { working, full } = images;
  if (request.mask) {
    const fullMask = await maskFromImage(request.mask, full.width, full.height, limits);
    return {
      kind: 'area',
      area: {
        source: 'caller',
        part: request.part,
        working: await resizeMask(fullMask, working.width, working.height),
        full: fullMask,
        region: maskRegion(fullMask)!,
        evaluations: 0,
      },
    };
  }
  if (!request.part) return { kind: 'whole' };
  const located = await locatePart(clip, working, request.part, {
    ...DEFAULT_LOCATE_OPTIONS,
    ...request.locate,
  });
  if (!located.found) {
    return { kind: 'absent', part: request.part, reason: located.reason, evaluations: located.evaluations };
  }
  const fullMask = await resizeMask(located.mask, full.width, full.height);
  return {
    kind: 'area',
    area: {
      source: 'located',
      part: request.part,
      working: located.mask,
      full: fullMask,
      region: maskRegion(fullMask) ?? { x: 0, y: 0, width: full.width, height: full.height },
      evaluations: located.evaluations,
    },
  };
}

/** The pixels inside the mask as a one-row picture: the colours a recolour inside it may start from. */
export function insidePixels(image: RgbImage, mask: EditMask): RgbImage {
  const picked: number[] = [];
  for (let i = 0; i < mask.weights.length; i++) {
    if (mask.weights[i]! >= 0.5)
      picked.push(image.data[i * 3]!, image.data[i * 3 + 1]!, image.data[i * 3 + 2]!);
  }
  return { data: Uint8Array.from(picked), width: picked.length / 3, height: 1 };
}
