/**
 * A fetch for tests that sends requests for the given origins (e.g. https://router.huggingface.co) to a
 * fake upstream instead, passes loopback URLs through, and refuses everything else: no test can reach a
 * real upstream, even by a URL a library builds on its own.
 */
export function routedFetch(routes: Readonly<Record<string, string>> = {}): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const target = routes[url.origin];
    if (target !== undefined) return fetch(target + url.pathname + url.search, init);
    if (url.hostname === '127.0.0.1') return fetch(url, init);
    return Promise.reject(new TypeError(`test fetch: ${url.origin} is not routed to a fake upstream`));
  };
}
