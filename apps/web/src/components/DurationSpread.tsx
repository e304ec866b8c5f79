import type { JobActivity } from '@jobs/client';
import { binLabel, durationSummary } from '../jobs/activityText.js';

const width = 800;
const height = 120;
const axis = 22;

/** How long the ended jobs took: a histogram (an image described by its percentiles). */
export function DurationSpread(props: { durations: JobActivity['durations'] }) {
  const { durations } = props;
  const bins = durations.histogram;
  const highest = Math.max(1, ...bins.map((bin) => bin.count));
  const slot = width / Math.max(1, bins.length);
  const summary = durationSummary(durations);
  return (
    <figure className="duration-spread">
      <figcaption>{summary}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Durations. ${summary}`}>
        {bins.map((bin, index) => {
          const size = (bin.count / highest) * (height - axis - 16);
          const label = binLabel(bin.below_ms, bins[index - 1]?.below_ms ?? undefined);
          return (
            <g key={label}>
              <rect
                x={index * slot + 6}
                y={height - axis - size}
                width={slot - 12}
                height={size}
                className="fill-duration"
              />
              <text
                x={index * slot + slot / 2}
                y={height - axis - size - 4}
                textAnchor="middle"
                className="chart-axis"
              >
                {bin.count.toLocaleString('en')}
              </text>
              <text
                x={index * slot + slot / 2}
                y={height - 6}
                textAnchor="middle"
                className="chart-axis"
              >
                {label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
