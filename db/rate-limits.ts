import type postgres from 'postgres';

/**
 * Takes up to `want` tokens from the bucket `key`, refilled at `ratePerSecond` up to one second's
 * worth. The row lock serialises workers, so the rate holds however many of them share it.
 * Returns the tokens granted and, when none were, how long until one will be.
 */
export async function takeTokens(
  sql: postgres.Sql,
  key: string,
  ratePerSecond: number,
  want: number,
): Promise<{ granted: number; waitMs: number }> {
  const burst = Math.max(1, ratePerSecond);
  await sql`
    insert into rate_buckets (key, tokens, updated_at) values (${key}, ${burst}, clock_timestamp())
    on conflict (key) do nothing`;
  const [row] = await sql<{ granted: number; available: number }[]>`
    update rate_buckets b
    set tokens = c.available - least(floor(c.available), ${want}::int), updated_at = clock_timestamp()
    from (
      select key, least(${burst}::float8, tokens + extract(epoch from clock_timestamp() - updated_at) * ${ratePerSecond}::float8) as available
      from rate_buckets where key = ${key} for update
    ) c
    where b.key = c.key
    returning least(floor(c.available), ${want}::int)::int as granted, c.available::float8 as available`;
  const granted = row?.granted ?? 0;
  const available = row?.available ?? 0;
  return { granted, waitMs: granted > 0 ? 0 : Math.ceil(((1 - available) / ratePerSecond) * 1000) };
}
