import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { isAbort } from '../api/describeError.js';
import { ErrorBanner } from './ErrorBanner.js';

/**
 * The job's log as it is written, read through the server's live stream. "Pause" freezes what
 * is shown (text keeps arriving underneath) so a line can be read; "Follow" shows everything
 * again and keeps the newest line in view.
 */
export function JobLog(props: { submissionId: string }) {
  const { api, reportError } = useApi();
  const received = useRef('');
  const [shown, setShown] = useState('');
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(following);
  followingRef.current = following;
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<unknown>();
  const view = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    received.current = '';
    const read = async () => {
      try {
        for await (const chunk of api.followLog(props.submissionId, controller.signal)) {
          received.current += chunk;
          if (followingRef.current) setShown(received.current);
        }
        setShown(received.current);
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
    };
  }, [api, props.submissionId, reportError]);

  useLayoutEffect(() => {
    const element = view.current;
    if (following && element !== null) element.scrollTop = element.scrollHeight;
  }, [shown, following]);

  const toggle = () => {
    if (!following) setShown(received.current);
    setFollowing(!following);
  };

  return (
    <section className="panel" aria-labelledby="log-title">
      <div className="panel-head">
        <h2 id="log-title">Log</h2>
        <span className="muted" aria-live="polite">
          {ended ? 'End of log: the job has ended.' : following ? 'Following live' : 'Paused'}
        </span>
        <button type="button" onClick={toggle} aria-pressed={!following} disabled={ended}>
          {following ? 'Pause' : 'Follow'}
        </button>
      </div>
      {error !== undefined && <ErrorBanner error={error} />}
      <pre ref={view} className="log" tabIndex={0} aria-label="Job log" data-testid="job-log">
        {shown === '' ? (
          <span className="muted">{ended ? '(empty log)' : 'Waiting for output…'}</span>
        ) : (
          shown
        )}
      </pre>
    </section>
  );
}
