import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import type { LineageStepQuery as LineageStep } from '../gql/graphql';
import { LineageStepQuery } from './documents';

export type LineageAsset = NonNullable<LineageStep['asset']>;

/** How many ancestors to follow before stopping: lineage is for looking, not a full history. */
const MAX_DEPTH = 12;

/** The chain of edits that led to `id`, oldest first, followed through each asset's `editedFrom`. */
export function useLineage(id: string | null): LineageAsset[] {
  const client = useClient();
  const [chain, setChain] = useState<LineageAsset[]>([]);
  useEffect(() => {
    let stale = false;
    void (async () => {
      const found: LineageAsset[] = [];
      for (let next = id; next && found.length < MAX_DEPTH;) {
        const { data } = await client.query(LineageStepQuery, { id: next }).toPromise();
        if (!data?.asset) break;
        found.unshift(data.asset);
        next = data.asset.editedFrom ?? null;
      }
      if (!stale) setChain(found);
    })();
    return () => {
      stale = true;
    };
  }, [client, id]);
  return chain;
}
