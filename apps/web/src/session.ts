/// <reference lib="dom" />
// The API token lives in sessionStorage only: gone when the tab closes, never in a URL or a cookie.
const KEY = 'sts-pilot.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn: (token: string): void => sessionStorage.setItem(KEY, token),
  signOut: (): void => sessionStorage.removeItem(KEY),
};
