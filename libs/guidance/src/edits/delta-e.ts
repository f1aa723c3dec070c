import type { EditMask } from './edit-mask.js';
import type { RgbImage } from './image-io.js';

/*
 * CIEDE2000 colour difference (Sharma, Wu & Dalal 2005) between sRGB pixels, under D65: about 1 is the
 * smallest difference people notice, 5 a clear one.
 */

export type Lab = readonly [number, number, number];

const linear = (v: number): number => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => linear(v));

export function srgbToLab(r: number, g: number, b: number): Lab {
  const [lr, lg, lb] = [LINEAR[r]!, LINEAR[g]!, LINEAR[b]!];
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
  const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const DEG = Math.PI / 180;

export function deltaE2000([l1, a1, b1]: Lab, [l2, a2, b2]: Lab): number {
  const c1 = Math.hypot(a1, b1);
  const c2 = Math.hypot(a2, b2);
  const cMean7 = ((c1 + c2) / 2) ** 7;
  const g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + 25 ** 7)));
  const [ap1, ap2] = [(1 + g) * a1, (1 + g) * a2];
  const [cp1, cp2] = [Math.hypot(ap1, b1), Math.hypot(ap2, b2)];
  const hue = (b: number, a: number): number =>
    b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / DEG + 360) % 360;
  const [hp1, hp2] = [hue(b1, ap1), hue(b2, ap2)];
  const dL = l2 - l1;
  const dC = cp2 - cp1;
  let dh = 0;
  if (cp1 * cp2 !== 0)
    dh = Math.abs(hp2 - hp1) <= 180 ? hp2 - hp1 : hp2 - hp1 > 180 ? hp2 - hp1 - 360 : hp2 - hp1 + 360;
  const dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin((dh / 2) * DEG);
  const lMean = (l1 + l2) / 2;
  const cpMean = (cp1 + cp2) / 2;
  let hMean = hp1 + hp2;
  if (cp1 * cp2 !== 0) {
    hMean = Math.abs(hp1 - hp2) <= 180 ? hMean / 2 : hMean < 360 ? (hMean + 360) / 2 : (hMean - 360) / 2;
  }
  const t =
    1 -
    0.17 * Math.cos((hMean - 30) * DEG) +
    0.24 * Math.cos(2 * hMean * DEG) +
    0.32 * Math.cos((3 * hMean + 6) * DEG) -
    0.2 * Math.cos((4 * hMean - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hMean - 275) / 25) ** 2));
  const cpMean7 = cpMean ** 7;
  const rc = 2 * Math.sqrt(cpMean7 / (cpMean7 + 25 ** 7));
  const sl = 1 + (0.015 * (lMean - 50) ** 2) / Math.sqrt(20 + (lMean - 50) ** 2);
  const sc = 1 + 0.045 * cpMean;
  const sh = 1 + 0.015 * cpMean * t;
  const rt = -Math.sin(2 * dTheta * DEG) * rc;
  return Math.sqrt((dL / sl) ** 2 + (dC / sc) ** 2 + (dH / sh) ** 2 + rt * (dC / sc) * (dH / sh));
}

/** Mask weights at most this are outside: the feathered edge belongs to the edit. */
const OUTSIDE = 0.01;

/**
 * Mean CIEDE2000 between two same-sized pictures over the pixels outside the mask (weight ≤ 0.01): how much
 * an edit changed what it should have kept. 0 when the mask covers everything.
 */
export function outsideChange(source: RgbImage, edited: RgbImage, mask: EditMask): number {
  return meanDeltaE(source, edited, (i) => mask.weights[i]! <= OUTSIDE);
}

/**
 * Mean CIEDE2000 between two same-sized pictures over what an edit may change: the pixels inside the mask
 * (weight > 0.01), or all of them without one. How different two edits of one picture look.
 */
export function changeWithin(a: RgbImage, b: RgbImage, mask: EditMask | null): number {
  return meanDeltaE(a, b, mask ? (i) => mask.weights[i]! > OUTSIDE : () => true);
}

function meanDeltaE(a: RgbImage, b: RgbImage, counts: (pixel: number) => boolean): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError('CIEDE2000 means compare pictures of one size');
  }
  let sum = 0;
  let weight = 0;
  const s = a.data;
  const e = b.data;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!counts(i)) continue;
    const p = i * 3;
    weight++;
    if (s[p] === e[p] && s[p + 1] === e[p + 1] && s[p + 2] === e[p + 2]) continue;
    sum += deltaE2000(srgbToLab(s[p]!, s[p + 1]!, s[p + 2]!), srgbToLab(e[p]!, e[p + 1]!, e[p + 2]!));
  }
  return weight > 0 ? sum / weight : 0;
}
