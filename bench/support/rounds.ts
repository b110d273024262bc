/** The round whose ratio is the median of all rounds' (the middle one of an odd count), with every ratio in run order. */
export function medianRound<T>(rounds: T[], ratioOf: (round: T) => number): { median: T; ratios: number[] } {
  const ratios = rounds.map(ratioOf);
  const middle = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
  return { median: rounds[ratios.indexOf(middle)], ratios };
}
