import { NumberField } from '../ui/number-field';

/** A moderation rule as the editor holds it: counter-descriptions one per line. */
export interface RuleDraft {
  name: string;
  description: string;
  counterDescriptions: string;
  threshold: number;
}

export const EXAMPLE_RULE: RuleDraft = {
  name: 'red circle',
  description: 'a red circle',
  counterDescriptions: 'an orange circle\na red square',
  threshold: 0.5,
};

/** The rules of a policy, in words: what to flag, what looks similar but is fine, and how sure to be. */
export function RuleEditor({
  rules,
  onChange,
}: {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
}) {
  const update = (i: number, patch: Partial<RuleDraft>): void =>
    onChange(rules.map((rule, j) => (j === i ? { ...rule, ...patch } : rule)));
  return (
    <div className="rules">
      {rules.map((rule, i) => (
        <fieldset key={i} className="panel form rule">
          <legend>Rule {i + 1}</legend>
          <label className="field">
            <span>Name</span>
            <input value={rule.name} onChange={(e) => update(i, { name: e.target.value })} required />
          </label>
          <NumberField
            label="Threshold"
            min={0}
            max={1}
            step={0.05}
            value={rule.threshold}
            onChange={(threshold) => update(i, { threshold })}
          />
          <label className="field wide">
            <span>Description</span>
            <input
              value={rule.description}
              onChange={(e) => update(i, { description: e.target.value })}
              required
            />
          </label>
          <label className="field wide">
            <span>Counter-descriptions (one per line)</span>
            <textarea
              rows={2}
              value={rule.counterDescriptions}
              onChange={(e) => update(i, { counterDescriptions: e.target.value })}
            />
          </label>
          {rules.length > 1 ? (
            <div className="actions wide">
              <button type="button" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
                Remove rule {i + 1}
              </button>
            </div>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => onChange([...rules, { ...EXAMPLE_RULE, name: `rule ${rules.length + 1}` }])}
      >
        Add a rule
      </button>
    </div>
  );
}

/** The policy the API takes, from the drafts. */
export function policyOf(rules: readonly RuleDraft[]) {
  return {
    rules: rules.map((r) => ({
      name: r.name,
      description: r.description,
      counterDescriptions: r.counterDescriptions
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      threshold: r.threshold,
    })),
  };
}
