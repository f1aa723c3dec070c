/** The rule threshold the moderation proof uses with the bundled model (its default is 0.5). */
export const MODERATION_THRESHOLD = 0.5;
