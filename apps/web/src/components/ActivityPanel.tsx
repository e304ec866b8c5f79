import { useJobActivity, type JobsQuery } from '@jobs/react';
import type { ActivityBar } from '../jobs/activityText.js';
import { ActivityChart } from './ActivityChart.js';
import { DurationSpread } from './DurationSpread.js';
import { ErrorBanner } from './ErrorBanner.js';

/** The activity of the listed jobs, computed by the server, read only while it is shown. */
/** The browser's time zone, whose midnights the day-wide and wider bars start at. */
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function ActivityPanel(props: {
  query: JobsQuery;
  onChooseBar: (bar: ActivityBar) => void;
}) {
  const read = useJobActivity(props.query, { timeZone });
  const activity = read.data?.activity;
  return (
    <section className="panel activity-panel" aria-labelledby="activity-title">
      <div className="panel-head">
        <h2 id="activity-title">Activity</h2>
        <span className="muted">
          Jobs submitted, by status; choose a bar to list its jobs. Below, how long ended jobs took.
        </span>
      </div>
      {read.error !== null && <ErrorBanner error={read.error} stale={activity !== undefined} />}
      {activity === undefined ? (
        read.isPending && (
          <div className="placeholder" role="status">
            Loading activity…
          </div>
        )
      ) : (
        <div aria-busy={read.isPlaceholderData}>
          <ActivityChart activity={activity} onChooseBar={props.onChooseBar} />
          <DurationSpread durations={activity.durations} />
        </div>
      )}
    </section>
  );
}
