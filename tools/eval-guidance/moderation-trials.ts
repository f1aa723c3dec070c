import { procedural } from '#generators';
import { type ClipPort, intersectionOverUnion, moderate } from '#guidance';

const { COLOURS, SHAPES, Random, deriveSeed, realizeScene, renderScene } = procedural;

export interface ModerationTrialResult {
  trials: number;
  /** Scenes holding the named object that the rule flagged. */
  flagged: number;
  /** Flagged scenes whose top region overlaps the object's true box with IoU ≥ 0.5. */
  localised: number;
  /** Scenes without the object that were (wrongly) flagged. */
  falseAlarms: number;
  meanIou: number;
  /** CLIP image evaluations per image, mean: windows, then localisation and confirmation of candidates. */
  evaluationsWithObject: number;
  evaluationsWithoutObject: number;
}

/**
 * A rule names an object ("a red star", with the near misses "a blue star", "a red circle"… as what is
 * fine); half the scenes hold it at a random place beside another
 * object, the other half hold two other objects. Is the rule flagged where it should be, and does its
 * top region cover the object?
 */
export async function moderationTrials(
  clip: ClipPort,
  options: { trials: number; seed: number; size: number; threshold: number },
): Promise<ModerationTrialResult> {
  const result: ModerationTrialResult = {
    trials: options.trials,
    flagged: 0,
    localised: 0,
    falseAlarms: 0,
    meanIou: 0,
    evaluationsWithObject: 0,
    evaluationsWithoutObject: 0,
  };
  let iouSum = 0;
  for (let t = 0; t < options.trials; t++) {
    const rng = new Random(deriveSeed(options.seed, t));
    const colour = rng.pick(COLOURS);
    const shape = rng.pick(SHAPES);
    const other = (): { colour: procedural.Colour; shape: procedural.Shape } => {
      for (;;) {
        const o = { colour: rng.pick(COLOURS), shape: rng.pick(SHAPES) };
        if (o.colour !== colour && o.shape !== shape) return o;
      }
    };
    const distractor = other();
    // As a policy author would write it: what to flag, and the near misses that are fine.
    const rule = {
      name: 'target',
      description: `a ${colour} ${shape}`,
      counterDescriptions: [
        ...COLOURS.filter((c) => c !== colour).map((c) => `a ${c} ${shape}`),
        ...SHAPES.filter((s) => s !== shape).map((s) => `a ${colour} ${s}`),
      ],
      threshold: options.threshold,
    };
    const render = async (objects: { colour: procedural.Colour; shape: procedural.Shape }[]) => {
      const scene = realizeScene({ objects, style: 'plain' }, { seed: rng.uint32(), fidelity: 1 });
      return renderScene(scene, { width: options.size, height: options.size });
    };
    // Boxes come in scene order, which is the order the objects are asked for.
    const targetIndex = rng.chance(0.5) ? 0 : 1;
    const objects = targetIndex === 0 ? [{ colour, shape }, distractor] : [distractor, { colour, shape }];
    const positive = await render(objects);
    const withObject = await moderate(clip, positive.bytes, { rules: [rule] });
    result.evaluationsWithObject += withObject.evaluations / options.trials;
    const decision = withObject.rules[0]!;
    if (decision.flagged) {
      result.flagged++;
      const iou = intersectionOverUnion(decision.regions[0]!, positive.boxes[targetIndex]!);
      iouSum += iou;
      if (iou >= 0.5) result.localised++;
    }
    const negative = await render([distractor, other()]);
    const withoutObject = await moderate(clip, negative.bytes, { rules: [rule] });
    result.evaluationsWithoutObject += withoutObject.evaluations / options.trials;
    if (withoutObject.flagged) result.falseAlarms++;
  }
  result.meanIou = result.flagged > 0 ? iouSum / result.flagged : 0;
  return result;
}
