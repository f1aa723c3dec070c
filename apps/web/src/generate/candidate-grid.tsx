import type { GenerationFieldsFragment } from '../gql/graphql';
import { linkTo } from '../routing';
import { ScoreBar } from '../ui/score-bar';

/** The candidates best first, each with why it ranks there; generators that failed are listed beside. */
export function CandidateGrid({ result }: { result: GenerationFieldsFragment }) {
  return (
    <div className="results">
      {result.errors.length > 0 ? (
        <section className="panel errors" aria-label="Generator errors">
          <h2>Generators that failed</h2>
          <ul>
            {result.errors.map((e) => (
              <li key={e.generator}>
                <strong>{e.generator}</strong>: {withoutPrefix(e.message, `${e.generator}: `)}{' '}
                <small>
                  ({e.code}
                  {e.retries ? `, ${e.retries} retries` : ''})
                </small>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {result.candidates.length === 0 ? <p className="note">No candidates came back.</p> : null}
      <ol className="grid candidates">
        {result.candidates.map((c) => (
          <li key={c.asset.id} className="card">
            <a
              className="thumb"
              {...linkTo(`/edit?asset=${encodeURIComponent(c.asset.id)}`)}
              title="Edit this candidate"
            >
              <img
                src={c.asset.url}
                alt={`Candidate ${c.rank}`}
                width={c.asset.width}
                height={c.asset.height}
              />
            </a>
            <div className="card-body">
              <p className="card-title">
                <span className="rank">#{c.rank}</span> {c.generator}
                {c.seed === null ? null : <small> · seed {c.seed}</small>}
              </p>
              <ScoreBar label="similarity" value={c.scores.similarity} max={1} />
              <ScoreBar label="CLIPScore" value={c.scores.clipScore} max={2.5} />
              <ScoreBar label="negative" value={c.scores.negativePenalty} tone="bad" />
              <ScoreBar label="redundancy" value={c.scores.redundancy} tone="bad" />
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Messages often start with the generator's id, which the list already shows. */
function withoutPrefix(message: string, prefix: string): string {
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
