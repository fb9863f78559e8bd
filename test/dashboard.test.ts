import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../common/metrics';

/** Metric names an expression reads, without the suffixes Prometheus adds to histograms. */
const metricNames = (expression: string) =>
  [...expression.matchAll(/\b((?:conveyor|temporal)_[a-z_]+)\b/g)].map(([, name]) =>
    (name ?? '').replace(/_(bucket|sum|count)$/, ''),
  );

describe('the committed dashboard and alert rule', () => {
  const exported = new Set(registry.getMetricsAsArray().map((metric) => metric.name));
  exported.add('conveyor_operations'); // registered by the API on its first scrape

  it('read only metrics Conveyor exports (or the Temporal SDK’s)', () => {
    const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/conveyor.json', 'utf8'));
    const rules = readFileSync('deploy/alerts.yml', 'utf8');
    const expressions = [
      ...dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
        panel.targets.map((target) => target.expr),
      ),
      rules,
    ];
    const read = expressions.flatMap(metricNames);
    expect(read.length).toBeGreaterThan(5);
    for (const name of read.filter((metric) => metric.startsWith('conveyor_'))) {
      expect(exported, `${name} is not exported`).toContain(name);
    }
  });
});
