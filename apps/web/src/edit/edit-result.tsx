import type { EditFieldsFragment } from '../gql/graphql';
import type { PickedImage } from '../images/upload';
import { ScoreBar } from '../ui/score-bar';
import { BeforeAfter } from './before-after';
import { OperationChain } from './operation-chain';
import { SearchPathPlot } from './search-path-plot';

/** An edit's outcome: before and after in one frame split by a slider, whether it was accepted, how, and the search's path. */
export function EditResultPanel({
  before,
  result,
  onContinue,
}: {
  before: PickedImage;
  result: EditFieldsFragment;
  /** Absent when there is nothing new to continue from (nothing was edited). */
  onContinue: (() => void) | undefined;
}) {
  return (
    <section className="panel edit-result" aria-label="Edit result">
      <p className={`verdict ${result.accepted ? 'good' : 'bad'}`}>
        {result.accepted ? 'accepted' : 'not accepted'}
      </p>
      {result.reason ? <p className="note">{result.reason}</p> : null}
      <div className="edit-details">
        <BeforeAfter
          before={before}
          after={result.asset}
          beforeText={result.sourceText}
          afterText={result.targetText}
        />
        <div>
          <h2>Scores</h2>
          <ScoreBar
            label="direction"
            value={result.directionalSimilarity}
            tone={result.accepted ? 'good' : 'plain'}
          />
          <ScoreBar label="preservation" value={result.preservation} />
          <ScoreBar label="target" value={result.targetSimilarity} />
          <p className="note">
            {result.mode.toLowerCase()} · {result.evaluations} evaluations
            {result.generator ? ` · ${result.generator}` : ''}
            {result.part ? ` · confined to the ${result.part}` : ''}
          </p>
          <h2>Operator chain</h2>
          <OperationChain operations={result.operations} />
          {result.errors.map((e) => (
            <p key={e.generator} className="alert">
              {e.generator}: {e.message}
            </p>
          ))}
          <SearchPathPlot result={result} />
        </div>
      </div>
      {onContinue ? (
        <button type="button" onClick={onContinue}>
          Continue from the result
        </button>
      ) : null}
    </section>
  );
}
