import type { EditFieldsFragment } from '../gql/graphql';

type Step = EditFieldsFragment['steps'][number];

const W = 360;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 36 };

function extent(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = (hi - lo) * 0.08 || 0.01;
  return [lo - margin, hi + margin];
}

/** The step the result came from: the best try whose operator chain is the result's. */
export function chosenStep(steps: readonly Step[], operations: EditFieldsFragment['operations']): number {
  const key = JSON.stringify(operations);
  let best = -1;
  steps.forEach((step, i) => {
    if (JSON.stringify(step.operations) !== key) return;
    if (best < 0 || step.directionalSimilarity > steps[best]!.directionalSimilarity) best = i;
  });
  return best;
}

/**
 * Every try of the edit search as a point: preservation (how much of the image it kept) across,
 * directional similarity (how far it moved toward the instruction) up; the chosen one ringed.
 */
export function SearchPathPlot({ result }: { result: EditFieldsFragment }) {
  const steps = result.steps;
  if (steps.length === 0) return null;
  const [x0, x1] = extent(steps.map((s) => s.preservation));
  const [y0, y1] = extent(steps.map((s) => s.directionalSimilarity));
  const x = (v: number): number => PAD.left + ((v - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - ((v - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const chosen = chosenStep(steps, result.operations);
  const ticks = (lo: number, hi: number): number[] => [lo, (lo + hi) / 2, hi];
  return (
    <figure className="plot">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Search path: ${steps.length} tries plotted by preservation and directional similarity${chosen >= 0 ? ', the chosen one ringed' : ''}`}
      >
        <rect
          x={PAD.left}
          y={PAD.top}
          width={W - PAD.left - PAD.right}
          height={H - PAD.top - PAD.bottom}
          className="plot-area"
        />
        {ticks(x0, x1).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - PAD.bottom + 14} textAnchor="middle" className="plot-tick">
            {t.toFixed(2)}
          </text>
        ))}
        {ticks(y0, y1).map((t) => (
          <text key={`y${t}`} x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="plot-tick">
            {t.toFixed(2)}
          </text>
        ))}
        <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} textAnchor="middle" className="plot-axis">
          preservation →
        </text>
        <text
          x={12}
          y={(PAD.top + H - PAD.bottom) / 2}
          textAnchor="middle"
          className="plot-axis"
          transform={`rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})`}
        >
          directional similarity →
        </text>
        {steps.map((step, i) => (
          <circle
            key={i}
            cx={x(step.preservation)}
            cy={y(step.directionalSimilarity)}
            r={3.5}
            className={step.keepsImage ? 'plot-point kept' : 'plot-point dropped'}
          >
            <title>
              {`${step.stage}: ${step.operations.map((o) => o.name).join(' → ') || 'original'} (direction ${step.directionalSimilarity.toFixed(3)}, preservation ${step.preservation.toFixed(3)})`}
            </title>
          </circle>
        ))}
        {chosen >= 0 ? (
          <circle
            cx={x(steps[chosen]!.preservation)}
            cy={y(steps[chosen]!.directionalSimilarity)}
            r={8}
            className="plot-chosen"
          />
        ) : null}
      </svg>
      <figcaption>
        {steps.length} tries; filled: kept enough of the image, hollow: changed it too much
        {chosen >= 0 ? '; ringed: the result' : ''}.
      </figcaption>
    </figure>
  );
}
