/** One score drawn as a bar over [min, max], with its number beside it; the bar itself is decoration. */
export function ScoreBar({
  label,
  value,
  min = 0,
  max = 1,
  marker,
  tone = 'plain',
}: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  /** A threshold drawn across the bar. */
  marker?: number;
  tone?: 'plain' | 'bad' | 'good';
}) {
  const share = (v: number): number => Math.min(100, Math.max(0, ((v - min) / (max - min)) * 100));
  return (
    <div className="score">
      <span className="score-label">{label}</span>
      <span className={`score-bar tone-${tone}`} aria-hidden="true">
        <span className="score-fill" style={{ width: `${share(value)}%` }} />
        {marker === undefined ? null : (
          <span className="score-marker" style={{ left: `${share(marker)}%` }} />
        )}
      </span>
      <span className="score-value">{value.toFixed(3)}</span>
    </div>
  );
}
