import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  colour: string;
}

/**
 * A uPlot line chart over time (x in Unix seconds), as wide as its container. The numbers
 * are also given as a table by the caller, for screen readers.
 */
export function TimeChart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  unit: string;
  bars?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const width = () => Math.max(280, element.clientWidth);
    const chart = new uPlot(
      {
        title: props.title,
        width: width(),
        height: 260,
        series: [
          {},
          ...props.series.map((series) => ({
            label: series.label,
            stroke: series.colour,
            fill: props.bars ? `${series.colour}55` : undefined,
            width: 2,
            spanGaps: true,
            paths: props.bars ? uPlot.paths.bars?.({ size: [0.6, 40] }) : undefined,
            value: (_: uPlot, value: number | null) =>
              value === null ? '—' : `${value.toFixed(value < 10 ? 2 : 0)} ${props.unit}`,
          })),
        ],
        axes: [{}, { label: props.unit, size: 60 }],
      },
      [props.times, ...props.series.map((series) => series.values)],
      element,
    );
    const resized = new ResizeObserver(() => chart.setSize({ width: width(), height: 260 }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [props.title, props.times, props.series, props.unit, props.bars]);
  return <div ref={box} class="chart" role="img" aria-label={props.title} />;
}
