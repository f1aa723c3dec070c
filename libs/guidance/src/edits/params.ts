/*
 * What an edit operator declares about its settings, and the few parameter shapes operators share.
 * Spatial settings are fractions of the shorter side, so a chain found on a small working copy means the
 * same at full resolution.
 */

export interface NumberParam {
  kind: 'number';
  name: string;
  min: number;
  max: number;
  default: number;
  /** The value that changes the image least: where a search's grid starts from. */
  neutral: number;
  /** Searched and refined on a log scale (factors, radii). */
  log?: boolean;
  integer?: boolean;
  /** False for settings a search leaves at their default (a mask's width, a seed). */
  tuned?: boolean;
  description: string;
}

export interface ColourParam {
  kind: 'colour';
  name: string;
  /** Where a search takes it from: the colour the instruction names, or one of the image's own colours. */
  role: 'target' | 'source';
  description: string;
}

export type ParamSpec = NumberParam | ColourParam;

/** Numbers, or colours as a name (`green`) or hex (`#23a037`). */
export type ParamValue = number | string;

/** How far an effect goes, from none (0) to full (1). */
export const amount = (description: string, defaultAmount = 1) =>
  ({
    kind: 'number',
    name: 'amount',
    min: 0,
    max: 1,
    default: defaultAmount,
    neutral: 0,
    description,
  }) as const;

/** A multiplier between a quarter and four, searched on a log scale. */
export const factor = <const N extends string>(name: N, description: string) =>
  ({ kind: 'number', name, min: 0.25, max: 4, default: 1, neutral: 1, log: true, description }) as const;

/** A blur radius as a fraction of the shorter side. */
export const radius = (description: string) =>
  ({
    kind: 'number',
    name: 'radius',
    min: 0.002,
    max: 0.06,
    default: 0.02,
    neutral: 0.002,
    log: true,
    description,
  }) as const;
