import { atMostCeilingSql } from './session-sum-sql.js';

/**
 * SQL for the monthly dimension lists summed from daily rows: one row per (policy_domain, dimension, month) with its
 * `value_list` and `session_list`. `dailyRows` is a query over daily_failure_dimension giving the rows to sum.
 */
export function monthListsFromDaysSql(dailyRows: string): string {
  return `
    SELECT policy_domain, dimension, month, array_agg(value) AS value_list, array_agg(sessions) AS session_list
      FROM (SELECT d.policy_domain, d.dimension, date_trunc('month', d.day)::date AS month, u.value COLLATE "C" AS value,
                   ${atMostCeilingSql('sum(u.sessions)')}::bigint AS sessions
              FROM (${dailyRows}) d, unnest(d.value_list, d.session_list) AS u(value, sessions)
             GROUP BY 1, 2, 3, 4) by_value
     GROUP BY 1, 2, 3`;
}
