/** Packed 8-bit RGB, row by row, upright: the one pixel buffer the engine, the generators and the edits share. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}
