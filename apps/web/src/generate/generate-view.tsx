import { useState } from 'react';
import { useQuery } from 'urql';
import { CandidateGrid } from './candidate-grid';
import { GeneratorsQuery } from './documents';
import { sizesFor } from './sizes';
import { useGeneration } from './use-generation';
import { NumberField } from '../ui/number-field';
import { JobActions, JobStatus } from '../jobs/job-controls';

/** Prompt in, ranked candidates out: the form, the job's progress, and the candidates best first. */
export function GenerateView() {
  const [{ data: generatorData }] = useQuery({ query: GeneratorsQuery });
  const generators = generatorData?.generators ?? [];
  const [prompt, setPrompt] = useState('');
  const [negativePrompt, setNegativePrompt] = useState('');
  const [count, setCount] = useState(4);
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const [size, setSize] = useState('');
  const [seed, setSeed] = useState('');
  const [diversity, setDiversity] = useState(1);
  const run = useGeneration();

  const chosen = generators.filter((g) => !unchecked.has(g.id));
  const sizes = sizesFor(chosen.map((g) => g.capabilities.sizes));

  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    const [width, height] = size ? size.split('x').map(Number) : [];
    run.start({
      prompt,
      negativePrompt: negativePrompt || null,
      count,
      generators: unchecked.size > 0 ? chosen.map((g) => g.id) : null,
      width: width ?? null,
      height: height ?? null,
      seed: seed === '' ? null : Number(seed),
      diversity,
    });
  };
  const toggle = (id: string): void =>
    setUnchecked((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="view" aria-labelledby="generate-title">
      <h1 id="generate-title">Generate</h1>
      <form className="panel form" onSubmit={submit}>
        <label className="field wide">
          <span>Prompt</span>
          <textarea
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
            }}
            placeholder="a red circle on a blue background"
            rows={2}
            required
          />
        </label>
        <label className="field wide">
          <span>Avoid</span>
          <input
            value={negativePrompt}
            onChange={(e) => setNegativePrompt(e.target.value)}
            placeholder="what the picture should not show (negative prompt)"
          />
        </label>
        <NumberField label="Count" min={1} max={16} value={count} onChange={setCount} />
        <label className="field">
          <span>Size</span>
          <select value={size} onChange={(e) => setSize(e.target.value)}>
            <option value="">generator default</option>
            {sizes.map(([w, h]) => (
              <option key={`${w}x${h}`} value={`${w}x${h}`}>
                {w} × {h}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Seed</span>
          <input
            type="number"
            min={0}
            step={1}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            placeholder="random"
          />
        </label>
        <label className="field">
          <span>Diversity</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={diversity}
            onChange={(e) => setDiversity(Number(e.target.value))}
            aria-valuetext={`λ ${diversity.toFixed(2)}`}
          />
          <small>λ {diversity.toFixed(2)} (1: relevance only)</small>
        </label>
        <fieldset className="field wide checks">
          <legend>Generators</legend>
          {generators.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={!unchecked.has(g.id)} onChange={() => toggle(g.id)} />
              {g.id} <small>({g.kind})</small>
            </label>
          ))}
        </fieldset>
        <JobActions label="Generate" run={run} disabled={chosen.length === 0} />
      </form>
      <JobStatus label="Generating" run={run} />
      {run.result ? <CandidateGrid result={run.result} /> : null}
    </section>
  );
}
