import type { EditFieldsFragment } from '../gql/graphql';

function formatParam(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toFixed(3))) : JSON.stringify(value);
}

/** The operator chain an edit applied, in order, each with its parameters: replayable as shown. */
export function OperationChain({ operations }: { operations: EditFieldsFragment['operations'] }) {
  if (operations.length === 0) return <p className="note">No operator applied.</p>;
  return (
    <ol className="chain" aria-label="Operator chain">
      {operations.map((op, i) => (
        <li key={i}>
          <code className="op-name">{op.name}</code>
          {Object.entries((op.params ?? {}) as Record<string, unknown>).map(([k, v]) => (
            <span key={k} className="op-param">
              {k}={formatParam(v)}
            </span>
          ))}
        </li>
      ))}
    </ol>
  );
}
