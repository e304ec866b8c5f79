import { type JobActivity, jobStatuses } from '@jobs/client';
import {
  type ActivityBar,
  activitySummary,
  barDescription,
  barLabel,
  barTotal,
} from '../jobs/activityText.js';

const width = 800;
const height = 180;
const axis = 22;
/** Room for the scale's label on the left. */
const left = 36;
/** A few bars are drawn as narrow as this many would be, not across the whole width. */
const minSlots = 24;

/**
 * Jobs submitted per bar, stacked by status: each bar is a button (Enter or Space, or a click)
 * that narrows the list to its time range. The caption says the chart in words, and a table
 * holds every bar's numbers for whoever cannot see it.
 */
export function ActivityChart(props: {
  activity: JobActivity;
  onChooseBar: (bar: ActivityBar) => void;
}) {
  const { activity } = props;
  const { buckets } = activity;
  const highest = Math.max(1, ...buckets.map(barTotal));
  const slot = (width - left) / Math.max(buckets.length, minSlots);
  const gap = slot > 6 ? Math.min(4, slot * 0.2) : 0;
  const scale = (count: number) => (count / highest) * (height - axis - 4);
  const first = buckets[0];
  const last = buckets.at(-1);

  return (
    <figure className="activity-chart">
      <figcaption id="activity-summary">{activitySummary(activity)}</figcaption>
      <ul className="chart-legend" aria-label="Colours">
        {jobStatuses.map((status) => (
          <li key={status}>
            <span className={`swatch fill-${status.toLowerCase()}`} aria-hidden="true" />
            {status.toLowerCase()}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label="Jobs submitted per bar; each bar shows its jobs in the list"
        aria-describedby="activity-summary"
        data-testid="activity-bars"
      >
        <text x={left - 6} y={12} textAnchor="end" className="chart-axis">
          {highest.toLocaleString('en')}
        </text>
        <text x={left - 6} y={height - axis} textAnchor="end" className="chart-axis">
          0
        </text>
        <line x1={left} x2={width} y1={height - axis} y2={height - axis} className="chart-base" />
        {buckets.map((bar, index) => {
          let top = height - axis;
          const label = `${barLabel(bar.start, activity.bucket)}: ${barDescription(bar)}`;
          const choose = () => {
            props.onChooseBar(bar);
          };
          return (
            <g
              key={bar.start}
              role="button"
              tabIndex={0}
              aria-label={label}
              className="chart-bar"
              data-start={bar.start}
              onClick={choose}
              onKeyDown={(event) => {
                if (event.key !== 'Enter' && event.key !== ' ') return;
                event.preventDefault();
                choose();
              }}
            >
              <title>{label}</title>
              {/* The whole slot takes the click, so low bars are easy to hit. */}
              <rect
                x={left + index * slot}
                y={0}
                width={slot}
                height={height - axis}
                className="chart-slot"
              />
              {jobStatuses.map((status) => {
                const size = scale(bar.by_status[status]);
                if (size === 0) return null;
                top -= size;
                return (
                  <rect
                    key={status}
                    x={left + index * slot + gap / 2}
                    y={top}
                    width={Math.max(1, slot - gap)}
                    height={size}
                    className={`fill-${status.toLowerCase()}`}
                  />
                );
              })}
            </g>
          );
        })}
        {first !== undefined && (
          <text x={left} y={height - 6} className="chart-axis">
            {barLabel(first.start, activity.bucket)}
          </text>
        )}
        {last !== undefined && last !== first && (
          <text
            x={left + buckets.length * slot}
            y={height - 6}
            textAnchor="end"
            className="chart-axis"
          >
            {barLabel(last.start, activity.bucket)}
          </text>
        )}
      </svg>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <table className="kv">
          <caption>Jobs submitted per {activity.bucket}</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              {jobStatuses.map((status) => (
                <th scope="col" key={status}>
                  {status.toLowerCase()}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((bar) => (
              <tr key={bar.start}>
                <th scope="row">{barLabel(bar.start, activity.bucket)}</th>
                {jobStatuses.map((status) => (
                  <td key={status}>{bar.by_status[status]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
