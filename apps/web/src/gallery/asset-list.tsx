import { useEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import type { AssetFilterInput } from '../gql/graphql';
import { Alert } from '../ui/alert';
import { errorText } from '../graphql/errors';
import { AssetCard } from './asset-card';
import { AssetsPageQuery } from './documents';

export const PAGE_SIZE = 12;

/**
 * Every stored asset matching `filter`, newest first, a page at a time: each page is its own query from
 * the cursor where the last one ended, fetched when the end of the list scrolls into view (or on the
 * button, for keyboards and for browsers that do not scroll).
 */
export function AssetList({ filter }: { filter: AssetFilterInput }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <ol className="grid gallery" aria-label="Assets">
      {cursors.map((after, i) => (
        <AssetPage
          key={after ?? 'first'}
          filter={filter}
          after={after}
          last={i === cursors.length - 1}
          onMore={(next) => setCursors((c) => (c.includes(next) ? c : [...c, next]))}
        />
      ))}
    </ol>
  );
}

function AssetPage({
  filter,
  after,
  last,
  onMore,
}: {
  filter: AssetFilterInput;
  after: string | null;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: AssetsPageQuery,
    variables: { filter, first: PAGE_SIZE, after },
  });
  const page = data?.assets;
  const next = last && page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  return (
    <>
      {page?.edges.map((edge) => (
        <AssetCard key={edge.node.id} asset={edge.node} />
      ))}
      {error ? (
        <li className="wide-item">
          <Alert>{errorText(error)}</Alert>
        </li>
      ) : null}
      {last && fetching ? <li className="wide-item note">Loading…</li> : null}
      {last && page ? (
        <li className="wide-item note">
          {next ? <MoreTrigger onMore={() => onMore(next)} /> : `All ${page.totalCount} shown.`}
        </li>
      ) : null}
    </>
  );
}

/** Loads the next page when it scrolls into view; it is also a button. */
function MoreTrigger({ onMore }: { onMore: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [onMore]);
  return (
    <button ref={ref} type="button" onClick={onMore}>
      Load more
    </button>
  );
}
