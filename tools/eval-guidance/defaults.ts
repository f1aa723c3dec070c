/**
 * The rule threshold the moderation proof uses with the bundled model (the library's default is 0.5),
 * chosen on calibration scenes (seed 9001, checked on 4242; never the evaluation's seeds 2027 and 12).
 * This model puts a generic caption ("a photo") close to every picture, so the description's probability
 * against it stays low even where the object is: the first false alarm comes at 0.01 (1 in 200), and 0.1
 * keeps ten times those odds while flagging most objects. Recalibrate for another model:
 * `npm run eval:guidance -- --seed 9001 --moderation-threshold T`.
 */
export const MODERATION_THRESHOLD = 0.1;
