/** Injection token of the service clock; the rollout path reads time only through it. */
export const CLOCK = Symbol('CLOCK');

/** The wall clock, unless a test has replaced the time source (e2e suites walk a domain through weeks). */
export class Clock {
  private source: () => Date = () => new Date();

  now(): Date {
    return this.source();
  }

  /** Tests only: `bootTestApp({ clock })` installs its time source here. */
  useSource(source: () => Date): void {
    this.source = source;
  }
}
