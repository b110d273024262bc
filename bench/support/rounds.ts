/** The round whose ratio is the median of all rounds' (the middle one of an odd count), with every ratio in run order. */
export function medianRound<T>(rounds: T[], ratioOf: (round: T) => number): { median: T; ratios: number[] } {
  const ratios = rounds.map(ratioOf);
  const middle = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
  return { median: rounds[ratios.indexOf(middle)], ratios };
}

/**
 * Runs both sides of round `round`, the first side first in even rounds and second in odd ones, so neither side always
 * follows the other (whatever one leaves running, such as PostgreSQL's background writes or a collector's idle-time
 * work, falls on both alike). Fifteen rounds a side on case 1 came out 0.89 with the baseline always first and 0.87
 * with the product first: within the rounds' spread, but no reason to keep one order.
 */
export async function bothInTurn<A, B>(round: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await first();
    return [a, await second()];
  }
  const b = await second();
  return [await first(), b];
}
