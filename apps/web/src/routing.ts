import { useEffect, useState } from 'react';

/** The page's views, by path; the server answers each with the page itself (see serve-studio.ts). */
export const VIEWS = [
  { path: '/', label: 'Generate' },
  { path: '/edit', label: 'Edit' },
  { path: '/captions', label: 'Captions' },
  { path: '/moderate', label: 'Moderate' },
  { path: '/gallery', label: 'Gallery' },
  { path: '/graphiql', label: 'GraphiQL' },
] as const;

export interface Location {
  path: string;
  params: URLSearchParams;
}

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

const NAVIGATED = 'clipsmith:navigate';

/** Goes to a view without reloading the page. */
export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo({ top: 0 });
}

/** The current location, updated on navigate() and on the browser's back and forward. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => setLocation(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** Props for an <a> that navigates in place on a plain click and still opens in a new tab otherwise. */
export function linkTo(href: string): { href: string; onClick: (event: React.MouseEvent) => void } {
  return {
    href,
    onClick: (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(href);
    },
  };
}
