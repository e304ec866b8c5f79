import type { JobDetails, JobEvent, JobEventType } from '@jobs/client';

let nextEventId = 1;

/** An event of the job-events stream about `job`. */
export function eventFixture(type: JobEventType, job: JobDetails): JobEvent {
  return { event_id: nextEventId++, type, job };
}
