import type { ModerateMutation } from '../gql/graphql';
import type { PickedImage } from '../images/upload';

type Result = ModerateMutation['moderate'];

/**
 * The image with the heat map of the highest-scoring rule laid over it and each flagged rule's best
 * region drawn as a box; boxes are in the input's pixels, placed here as shares of its size.
 */
export function ModerationOverlay({
  image,
  result,
  showHeatmap,
}: {
  image: PickedImage;
  result: Result;
  showHeatmap: boolean;
}) {
  const boxes = result.rules.flatMap((rule) =>
    rule.flagged && rule.regions[0] ? [{ rule: rule.name, region: rule.regions[0] }] : [],
  );
  const pct = (v: number, of: number): string => `${(v / of) * 100}%`;
  return (
    <figure className="overlay">
      <div className="overlay-stack">
        <img src={image.url} alt="Moderated image" width={image.width} height={image.height} />
        {showHeatmap ? (
          <img className="heatmap" src={result.heatmap.url} alt={`Heat map of ${result.heatmapRule}`} />
        ) : null}
        {boxes.map(({ rule, region }) => (
          <div
            key={rule}
            className="box"
            role="img"
            aria-label={`Region flagged by ${rule}`}
            style={{
              left: pct(region.x, image.width),
              top: pct(region.y, image.height),
              width: pct(region.width, image.width),
              height: pct(region.height, image.height),
            }}
          >
            <span>{rule}</span>
          </div>
        ))}
      </div>
      <figcaption>
        Heat map: {result.heatmapRule}.{' '}
        {boxes.length === 0 ? 'No rule flagged a region.' : 'Boxes: where flagged rules fired.'}
      </figcaption>
    </figure>
  );
}
