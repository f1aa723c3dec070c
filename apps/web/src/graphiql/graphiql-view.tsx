import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { buildSchema } from 'graphql';
import sdl from '../../../../schema.gql?raw';
import { authHeaders } from '../auth/api-key';

// The schema is built in, from the same schema.gql the typed documents come from: GraphiQL needs no
// introspection query (deeper than the server's GRAPHQL_MAX_DEPTH allows) and works before a key is given.
const schema = buildSchema(sdl);

const fetcher = createGraphiQLFetcher({
  url: `${window.location.origin}/graphql`,
  subscriptionUrl: `${window.location.origin.replace(/^http/, 'ws')}/graphql`,
  headers: authHeaders(),
});

const EXAMPLE = `# clipsmith's GraphQL API: Ctrl-Enter runs the query, the Docs button lists every field.
query Example {
  generators {
    id
    kind
  }
  assets(first: 4) {
    totalCount
    edges {
      node {
        id
        url
        prompt
      }
    }
  }
}
`;

/** The GraphQL explorer, bundled from npm so it works offline. */
export default function GraphiQLView() {
  return (
    <div className="graphiql">
      <GraphiQL fetcher={fetcher} schema={schema} defaultQuery={EXAMPLE} defaultEditorToolsVisibility />
    </div>
  );
}
