// One SVG bar chart for the Reports screen, drawn with visx (scales and axes; plain SVG out, so it
// lives within the CSP: no inline <style>, no eval; colours come from CSS classes and currentColor).
// The chart is a picture of the table printed beneath it, which is what assistive technology reads:
// the SVG is hidden from it, and each bar's <title> is only a hover hint.
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';

export interface BarSegment {
  value: number;
  /** CSS class that colours the segment (see styles.css: bar-*). */
  className: string;
}

export interface ChartBar {
  key: string;
  /** Axis label. */
  label: string;
  /** Hover hint for the whole bar. */
  title: string;
  /** Stacked from the axis outwards. */
  segments: BarSegment[];
}

interface Props {
  bars: ChartBar[];
  /** Columns rising from the bottom axis (days, buckets) or rows from the left (airlines, codes). */
  orientation: 'columns' | 'rows';
  formatValue: (value: number) => string;
  /** Columns only: show every n-th category label so long day ranges stay readable. */
  labelEvery?: number;
  /** Natural width in CSS pixels; the chart shrinks (never grows) to fit its column. */
  width?: number;
  /** Counts: whole-number ticks only (no "0.5 orders"). */
  wholeTicks?: boolean;
  testId?: string;
}

const FONT = 11;

export function BarChart({ bars, orientation, formatValue, labelEvery = 1, width = 640, wholeTicks = false, testId }: Props) {
  const columns = orientation === 'columns';
  const margin = columns ? { top: 8, right: 12, bottom: 28, left: 64 } : { top: 4, right: 16, bottom: 24, left: 90 };
  const height = columns ? 200 : margin.top + margin.bottom + Math.max(1, bars.length) * 26;
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const max = Math.max(0, ...bars.map((b) => b.segments.reduce((sum, s) => sum + s.value, 0)));
  const band = scaleBand<string>({ domain: bars.map((b) => b.key), range: columns ? [0, innerW] : [0, innerH], padding: 0.2 });
  const value = scaleLinear<number>({ domain: [0, max > 0 ? max : 1], range: columns ? [innerH, 0] : [0, innerW], nice: true });
  const label = new Map(bars.map((b) => [b.key, b.label]));
  const tickLabel = { fill: 'currentColor', fontSize: FONT, fontFamily: 'inherit' } as const;
  const shown = bars.filter((_, i) => i % labelEvery === 0).map((b) => b.key);
  const valueTicks = value.ticks(columns ? 4 : 5).filter((v) => !wholeTicks || Number.isInteger(v));

  return (
    <svg className="bar-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" data-testid={testId}>
      <Group left={margin.left} top={margin.top}>
        {bars.map((b) => {
          let offset = 0;
          return (
            <g key={b.key}>
              <title>{b.title}</title>
              {b.segments.map((s, i) => {
                const start = offset;
                offset += s.value;
                if (s.value <= 0) return null;
                const pos = band(b.key) ?? 0;
                return columns ? (
                  <Bar key={i} className={s.className} x={pos} width={band.bandwidth()} y={value(offset)} height={value(start) - value(offset)} />
                ) : (
                  <Bar key={i} className={s.className} y={pos} height={band.bandwidth()} x={value(start)} width={value(offset) - value(start)} />
                );
              })}
            </g>
          );
        })}
        {columns ? (
          <>
            <AxisLeft scale={value} tickValues={valueTicks} tickFormat={(v) => formatValue(Number(v))} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: 'end', dx: -4, dy: 3 }} />
            <AxisBottom top={innerH} scale={band} tickValues={shown} tickFormat={(k) => label.get(k) ?? k} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: 'middle' }} />
          </>
        ) : (
          <>
            <AxisLeft scale={band} tickFormat={(k) => label.get(k) ?? k} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: 'end', dx: -4, dy: 3 }} />
            <AxisBottom top={innerH} scale={value} tickValues={valueTicks} tickFormat={(v) => formatValue(Number(v))} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: 'middle' }} />
          </>
        )}
      </Group>
    </svg>
  );
}
