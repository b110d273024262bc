/**
 * The largest session count a report may carry (a non-negative safe integer, else BAD_COUNT), and the most any sum
 * of counts that the product stores or answers holds. Many hostile or broken reports for one domain and day could
 * otherwise overflow a rollup's bigint (making that key unwritable) or leave JavaScript's exact integers; at the
 * ceiling a sum means "this many or more".
 */
export const SESSION_COUNT_CEILING = Number.MAX_SAFE_INTEGER;

/**
 * A sum of non-negative counts, held to the ceiling. Summing in doubles first and capping once is exact: partial sums
 * below 2^53 are exact, and one at or above it never rounds back below.
 */
export function atMostCeiling(sum: number): number {
  return sum < SESSION_COUNT_CEILING ? sum : SESSION_COUNT_CEILING;
}
