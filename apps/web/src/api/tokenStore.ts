const key = 'jobs.apiToken';

/** The API token lives in sessionStorage: it stays for this tab and is gone when it closes. */
export function loadToken(): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(key, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(key);
}
