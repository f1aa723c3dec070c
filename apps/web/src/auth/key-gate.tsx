import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorCode } from '../graphql/errors';
import { readApiKey, saveApiKey } from './api-key';

const ModelsQuery = graphql(`
  query Models {
    models {
      modelType
      ready
    }
  }
`);

/**
 * Asks for an API key when the server wants one (it answers UNAUTHENTICATED), once: the key is kept in
 * this browser. Until then the views are not shown, so nothing fails behind the form.
 */
export function KeyGate({ children }: { children: React.ReactNode }) {
  const [{ error, fetching, data }, recheck] = useQuery({
    query: ModelsQuery,
    requestPolicy: 'network-only',
  });
  const [key, setKey] = useState('');
  const refused = errorCode(error) === 'UNAUTHENTICATED';
  if (fetching && !data) return <p className="note">Connecting…</p>;
  if (!refused) return <>{children}</>;
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    saveApiKey(key);
    recheck({ requestPolicy: 'network-only' });
  };
  return (
    <form className="panel key-form" onSubmit={submit}>
      <h1>This server needs an API key</h1>
      <p>It is kept in this browser and sent with every request.</p>
      {readApiKey() ? (
        <p className="alert" role="alert">
          That key was refused.
        </p>
      ) : null}
      <label className="field">
        <span>API key</span>
        <input
          type="password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoComplete="off"
          required
        />
      </label>
      <button type="submit" className="primary">
        Use this key
      </button>
    </form>
  );
}
