export interface PageContext {
  navigate(path: string, opts?: { replace?: boolean }): void;
  /** False once the user has moved on: late answers must not overwrite the next page. */
  isCurrent(): boolean;
}
