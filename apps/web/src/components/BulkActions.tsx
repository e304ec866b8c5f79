import { useDeleteJob, useStopJob } from '@jobs/react';
import { useEffect, useRef } from 'react';
import { type BulkAction, type BulkOutcome, runBulkAction } from '../jobs/bulkActions.js';
import { ConfirmButton } from './ConfirmButton.js';

function jobsWord(count: number): string {
  return count === 1 ? '1 job' : `${count.toLocaleString('en')} jobs`;
}

/**
 * Stop or delete the selected jobs, after a confirmation naming how many; `onDone` gets what
 * became of each.
 */
export function BulkActions(props: {
  selected: readonly string[];
  onClear: () => void;
  onDone: (action: BulkAction, outcomes: BulkOutcome[]) => void;
}) {
  const stop = useStopJob();
  const remove = useDeleteJob();
  const { selected } = props;
  const count = selected.length;
  const run = async (action: BulkAction) => {
    const outcomes = await runBulkAction(action, selected, async (id) =>
      action === 'stop' ? (await stop.mutateAsync(id)).stopped : remove.mutateAsync(id),
    );
    props.onDone(action, outcomes);
  };
  return (
    <div className="bulk-actions" role="toolbar" aria-label="Selected jobs">
      <span aria-live="polite">{jobsWord(count)} selected</span>
      <ConfirmButton
        label="Stop selected"
        question={`Stop ${jobsWord(count)}?`}
        detail="Each job's processes get SIGTERM, then SIGKILL after the grace period. Jobs that have ended are left as they are."
        confirmLabel={`Stop ${jobsWord(count)}`}
        danger
        onConfirm={() => run('stop')}
      />
      <ConfirmButton
        label="Delete selected"
        question={`Delete ${jobsWord(count)}?`}
        detail="The records and logs of the jobs that have ended are removed for good; pending and running jobs are refused."
        confirmLabel={`Delete ${jobsWord(count)}`}
        danger
        onConfirm={() => run('delete')}
      />
      <button type="button" onClick={props.onClear}>
        Clear selection
      </button>
    </div>
  );
}

/**
 * What became of each job of the last bulk action. It takes the focus when it appears: the
 * toolbar that had it is gone with the selection.
 */
export function BulkResults(props: {
  action: BulkAction;
  outcomes: readonly BulkOutcome[];
  onDismiss: () => void;
}) {
  const { outcomes } = props;
  const done = outcomes.filter((outcome) => outcome.done).length;
  const verb = props.action === 'stop' ? 'Stopped' : 'Deleted';
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [outcomes]);
  return (
    <section className="panel bulk-results" aria-labelledby="bulk-results-title">
      <div className="panel-head">
        <h2 id="bulk-results-title" ref={heading} tabIndex={-1}>
          {verb} {done} of {jobsWord(outcomes.length)}
        </h2>
        <button type="button" onClick={props.onDismiss}>
          Dismiss
        </button>
      </div>
      <ul className="bulk-outcomes">
        {outcomes.map((outcome) => (
          <li
            key={outcome.submissionId}
            data-job-id={outcome.submissionId}
            className={outcome.done ? undefined : 'refused'}
          >
            <code>{outcome.submissionId}</code>: {outcome.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
