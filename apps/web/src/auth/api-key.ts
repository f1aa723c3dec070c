/** The API key the page sends as a bearer token, kept in this browser so it is asked for once. */
const STORAGE_KEY = 'clipsmith.apiKey';

export function readApiKey(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function saveApiKey(key: string): void {
  localStorage.setItem(STORAGE_KEY, key.trim());
}

export function forgetApiKey(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** Headers for any request to the API: the bearer token when a key is set. */
export function authHeaders(): Record<string, string> {
  const key = readApiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
