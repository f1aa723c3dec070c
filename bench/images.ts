import sharp from 'sharp';

/** A small, fast, seedable PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A smooth random field: a coarse grid of random values, bicubically (Catmull-Rom) interpolated. */
export function smoothField(width: number, height: number, cells: number, rnd: () => number): Float32Array {
  const gw = cells + 3;
  const gh = Math.ceil((cells * height) / width) + 3;
  const grid = Float32Array.from({ length: gw * gh }, () => rnd() * 2 - 1);
  const out = new Float32Array(width * height);
  const cr = (p0: number, p1: number, p2: number, p3: number, t: number): number =>
    p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
  const step = cells / width;
  const row = new Float32Array(gw);
  for (let y = 0; y < height; y++) {
    const gy = y * step + 1;
    const iy = Math.floor(gy);
    const ty = gy - iy;
    for (let x = 0; x < gw; x++) {
      row[x] = cr(
        grid[(iy - 1) * gw + x]!,
        grid[iy * gw + x]!,
        grid[(iy + 1) * gw + x]!,
        grid[(iy + 2) * gw + x]!,
        ty,
      );
    }
    for (let x = 0; x < width; x++) {
      const gx = x * step + 1;
      const ix = Math.floor(gx);
      out[y * width + x] = cr(row[ix - 1]!, row[ix]!, row[ix + 1]!, row[ix + 2]!, gx - ix);
    }
  }
  return out;
}

/**
 * Photo-like RGB: a smooth background of a few colours, mid-frequency texture, a few shaded objects with
 * hard edges, and sensor-like grain, so JPEG sizes and decoding costs resemble a photograph's.
 */
export function photoLikeRgb(width: number, height: number, seed: number): Uint8Array {
  const rnd = random(seed);
  const low = [0, 1, 2].map(() => smoothField(width, height, 3, rnd));
  const mid = smoothField(width, height, 24, rnd);
  const base = [0, 1, 2].map(() => 60 + rnd() * 140);
  const objects = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => ({
    cx: rnd() * width,
    cy: rnd() * height,
    rx: (0.05 + rnd() * 0.2) * width,
    ry: (0.05 + rnd() * 0.2) * height,
    colour: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let inside = -1;
      let shade = 0;
      for (let k = 0; k < objects.length; k++) {
        const o = objects[k]!;
        const dx = (x - o.cx) / o.rx;
        const dy = (y - o.cy) / o.ry;
        const d = dx * dx + dy * dy;
        if (d < 1) {
          inside = k;
          shade = 1 - 0.5 * d;
        }
      }
      const texture = mid[i]! * 25;
      for (let c = 0; c < 3; c++) {
        const v =
          inside >= 0
            ? objects[inside]!.colour[c]! * shade + texture * 0.5
            : base[c]! + low[c]![i]! * 70 + texture;
        out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v + (rnd() - 0.5) * 14)));
      }
    }
  }
  return out;
}

export async function encodeJpeg(
  rgb: Uint8Array,
  width: number,
  height: number,
  quality = 90,
): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/** `count` distinct photo-like JPEGs of `size` × `size`. */
export async function photoJpegs(count: number, size: number, seed: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(await encodeJpeg(photoLikeRgb(size, size, seed + i), size, size));
  return out;
}
