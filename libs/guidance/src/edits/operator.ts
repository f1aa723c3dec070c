import type { Rgb } from './colours.js';
import type { RgbImage } from './image-io.js';
import type { ColourParam, ParamSpec, ParamValue } from './params.js';

/** One step of an edit chain; a chain replays exactly through applyOperations. */
export interface Operation {
  name: string;
  params: Readonly<Record<string, ParamValue>>;
}

/** A deterministic edit on packed 8-bit RGB that returns new pixels. */
export interface EditOperator {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  apply(image: RgbImage, values: Readonly<Record<string, number | Rgb>>): RgbImage | Promise<RgbImage>;
}

/** The declaration of an operator as data: its name, what it does, its parameters. */
export interface OperatorSpec {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
}

type Values<P extends readonly ParamSpec[]> = {
  [S in P[number] as S['name']]: S extends ColourParam ? Rgb : number;
};

/** Gives a declared operator its pixels; the values are typed from the spec, so a misnamed one fails to compile. */
export function implement<const S extends OperatorSpec>(
  spec: S,
  apply: (image: RgbImage, values: Values<S['params']>) => RgbImage | Promise<RgbImage>,
): EditOperator {
  return { ...spec, apply } as unknown as EditOperator;
}
