import { useId, useState } from 'react';
import type { PickedImage } from '../images/upload';

type Shown = Pick<PickedImage, 'url' | 'width' | 'height'>;

/** Where a pointer is across an element, in whole percent. */
function percentAcross(event: React.PointerEvent<HTMLElement>): number {
  const box = event.currentTarget.getBoundingClientRect();
  return Math.round(Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * 100);
}

/**
 * Before and after in one frame, split where the slider is: the before image left of the line, the
 * after image right of it. Both stay in the page with their names; the slider (a labelled range, so
 * arrows, Page Up/Down, Home and End move it) and dragging across the frame move the line.
 */
export function BeforeAfter({
  before,
  after,
  beforeText,
  afterText,
}: {
  before: Shown;
  after: Shown;
  beforeText: string;
  afterText: string;
}) {
  const [split, setSplit] = useState(50);
  const sliderId = useId();
  return (
    <figure className="compare">
      <div
        className="compare-frame"
        style={{ '--split': `${split}%` } as React.CSSProperties}
        onPointerDown={(e) => setSplit(percentAcross(e))}
        onPointerMove={(e) => {
          if (e.buttons & 1) setSplit(percentAcross(e));
        }}
      >
        <img src={before.url} alt="Before" width={before.width} height={before.height} />
        <img
          className="compare-after"
          src={after.url}
          alt="After"
          width={after.width}
          height={after.height}
        />
        <span className="compare-line" aria-hidden="true" />
      </div>
      <div className="compare-controls">
        <label htmlFor={sliderId}>Compare</label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={100}
          step={1}
          value={split}
          onChange={(e) => setSplit(Number(e.target.value))}
          aria-valuetext={`${split}% before, ${100 - split}% after`}
        />
      </div>
      <figcaption className="compare-captions">
        <span>
          <strong>Before</strong> {beforeText}
        </span>
        <span>
          <strong>After</strong> {afterText}
        </span>
      </figcaption>
    </figure>
  );
}
