import { ScoreBar } from '../ui/score-bar';

/** CLIPScore (0 to 2.5), and RefCLIPScore where there were references, of one caption. */
export function CaptionScoreBars({
  clipScore,
  refClipScore,
}: {
  clipScore: number | null;
  refClipScore?: number | null;
}) {
  return (
    <>
      {clipScore === null ? null : <ScoreBar label="CLIPScore" value={clipScore} max={2.5} />}
      {refClipScore === null || refClipScore === undefined ? null : (
        <ScoreBar label="RefCLIPScore" value={refClipScore} max={2.5} />
      )}
    </>
  );
}
