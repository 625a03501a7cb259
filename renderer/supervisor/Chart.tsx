import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Bars on the left scale (counts), or a line on the right scale (a percentage). */
  kind: 'bars' | 'line';
}

const INK = '#14171a';
const BAR = '#0b4f9c';
const LINE = '#b35900';

/**
 * A chart drawn by uPlot (canvas): responses as bars, the satisfied share as a line. The canvas is
 * a picture for the eye; its numbers are in the table beside it (screen readers, printing).
 */
export function Chart(props: { labels: string[]; series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);
  const { labels, series } = props;
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const x = labels.map((_, i) => i);
    const options: uPlot.Options = {
      width: Math.max(320, element.clientWidth),
      height: 220,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] }, pct: { range: [0, 100] } },
      axes: [
        { stroke: INK, values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? ''), incrs: [1], font: '14px sans-serif' },
        {
          stroke: INK,
          font: '14px sans-serif',
          label: series.find((s) => s.kind === 'bars')?.label,
          labelFont: '14px sans-serif',
        },
        {
          scale: 'pct',
          side: 1,
          stroke: INK,
          grid: { show: false },
          font: '14px sans-serif',
          label: series.find((s) => s.kind === 'line')?.label,
          labelFont: '14px sans-serif',
        },
      ],
      series: [
        {},
        ...series.map((s) =>
          s.kind === 'bars'
            ? { label: s.label, fill: BAR, stroke: BAR, paths: uPlot.paths.bars!({ size: [0.6, 48] }), points: { show: false } }
            : { label: s.label, scale: 'pct', stroke: LINE, width: 3, points: { show: true, size: 8, fill: LINE } },
        ),
      ],
    };
    const plot = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    return () => plot.destroy();
  }, [labels, series]);
  // The canvas is hidden from screen readers: the table after it holds the same numbers.
  return <div ref={box} className="chart" aria-hidden="true" data-testid="chart" />;
}
