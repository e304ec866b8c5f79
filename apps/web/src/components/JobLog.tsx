import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { isAbort } from '../api/describeError.js';
import { LogWindow } from '../jobs/logWindow.js';
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
  const { api, reportError } = useApi();
  const logRef = useRef(new LogWindow(maxShownChars));
  const [shown, setShown] = useState({ text: '', cut: false });
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(following);
  followingRef.current = following;
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<unknown>();
  const [downloading, setDownloading] = useState(false);
  const view = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    const log = new LogWindow(maxShownChars);
    logRef.current = log;
    // One render per frame however many pieces arrive in it.
    let frame: number | undefined;
    const show = () => {
      frame = undefined;
      if (followingRef.current) setShown({ text: log.text, cut: log.cut });
    };
    const read = async () => {
      try {
        const size = await api.logSize(submissionId, controller.signal);
        const from = Math.max(0, size - initialTailBytes);
        if (from > 0) log.startMidway();
        for await (const chunk of api.followLog(submissionId, from, controller.signal)) {
          log.append(chunk);
          if (followingRef.current) frame ??= requestAnimationFrame(show);
        }
        // A paused view stays as it is; Follow shows the rest.
        show();
        setEnded(true);
      } catch (caught) {
        if (controller.signal.aborted || isAbort(caught)) return;
        setError(caught);
        reportError(caught);
      }
    };
    void read();
    return () => {
      controller.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, submissionId, reportError]);

  useLayoutEffect(() => {
    const element = view.current;
    if (following && element !== null) element.scrollTop = element.scrollHeight;
  }, [shown, following]);

  const toggle = () => {
    if (!following) setShown({ text: logRef.current.text, cut: logRef.current.cut });
    setFollowing(!following);
  };

  const download = async () => {
    setDownloading(true);
    try {
      const blob = await api.downloadLog(submissionId);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${submissionId}.log`;
      link.click();
      setTimeout(() => {
        URL.revokeObjectURL(link.href);
      }, 60_000);
    } catch (caught) {
      setError(caught);
      reportError(caught);
    } finally {
      setDownloading(false);
    }
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
        <button type="button" onClick={() => void download()} disabled={downloading}>
          {downloading ? 'Downloading…' : 'Download'}
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
