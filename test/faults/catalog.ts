/** The fault scenarios, in the order they run and appear in bench/results.md; file = `<name>.fault.ts`. */
export const SCENARIOS = [
  'worker-restart',
  'worker-lost',
  'temporal-restart',
  'postgres-restart',
  'embedded-restart',
  'api-idempotency',
  'cancel-under-load',
] as const;

/** The scenarios FAULTS=name1,name2 selects (all when unset); an unknown name is an error. */
export function selectedScenarios(filter = process.env.FAULTS): string[] {
  if (!filter?.trim()) return [...SCENARIOS];
  const names = filter
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `FAULTS: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`,
    );
  }
  return names;
}
