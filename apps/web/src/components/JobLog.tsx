import { useDownloadJobLog, useFollowJobLog } from '@jobs/react';
import { useLayoutEffect, useRef, useState } from 'react';
import { ErrorBanner } from './ErrorBanner.js';

/** How much of a log's end is read when the page opens. */
const initialTailBytes = 1024 * 1024;
/** How much text the view keeps; older lines leave it as new ones arrive. */
const maxShownChars = 2 * 1024 * 1024;

/**
 * The job's log as it is written, read through the server's live stream. Only the end of a
 * large log is read and kept (the whole of it can be downloaded), so a log of any size keeps
 * the page responsive. "Pause" freezes what is shown (text keeps arriving underneath) so a
 * line can be read; "Follow" shows everything again and keeps the newest line in view.
 */
export function JobLog(props: { submissionId: string }) {
  const { submissionId } = props;
  const log = useFollowJobLog(submissionId, {
    tailBytes: initialTailBytes,
    maxChars: maxShownChars,
  });
  const download = useDownloadJobLog();
  /** What a paused view keeps showing; undefined while following. */
  const [paused, setPaused] = useState<{ text: string; cut: boolean }>();
  const following = paused === undefined;
  const shown = paused ?? log;
  const { ended } = log;
  const error = log.error ?? download.error ?? undefined;
  const view = useRef<HTMLPreElement>(null);

  useLayoutEffect(() => {
    const element = view.current;
    if (following && element !== null) element.scrollTop = element.scrollHeight;
  }, [shown.text, following]);

  const toggle = () => {
    setPaused(following ? { text: log.text, cut: log.cut } : undefined);
  };

  const save = async () => {
    const blob = await download.mutateAsync(submissionId).catch(() => undefined);
    if (blob === undefined) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${submissionId}.log`;
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(link.href);
    }, 60_000);
  };

  return (
    <section className="panel" aria-labelledby="log-title">
      <div className="panel-head">
        <h2 id="log-title">Log</h2>
        <span className="muted" aria-live="polite">
          {ended
            ? following
              ? 'End of log: the job has ended.'
              : 'Paused; the job has ended.'
            : following
              ? 'Following live'
              : 'Paused'}
        </span>
        <button
          type="button"
          onClick={toggle}
          aria-pressed={!following}
          disabled={ended && following}
        >
          {following ? 'Pause' : 'Follow'}
        </button>
        <button type="button" onClick={() => void save()} disabled={download.isPending}>
          {download.isPending ? 'Downloading…' : 'Download'}
        </button>
      </div>
      {error !== undefined && <ErrorBanner error={error} />}
      {shown.cut && (
        <p className="hint" data-testid="log-cut">
          Showing the end of a long log; download it to read it from the start.
        </p>
      )}
      <pre ref={view} className="log" tabIndex={0} aria-label="Job log" data-testid="job-log">
        {shown.text === '' ? (
          <span className="muted">{ended ? '(empty log)' : 'Waiting for output…'}</span>
        ) : (
          shown.text
        )}
      </pre>
    </section>
  );
}
