import { useDownloadJobLog, useFollowJobLog } from '@jobs/react';
import { useMemo, useState } from 'react';
import { findLogMatches, stepMatch } from '../logs/logMatches.js';
import { ErrorBanner } from './ErrorBanner.js';
import { LogSearch } from './LogSearch.js';
import { LogView } from './LogView.js';

/** How much of a log's end is read when the page opens. */
const initialTailBytes = 1024 * 1024;
/** How much text the view keeps; older lines leave it as new ones arrive. */
const maxShownChars = 2 * 1024 * 1024;
/** Matches marked in the log at most; the count then reads "10,000+". */
const maxMarkedMatches = 10_000;

/**
 * The job's log as it is written, read through the server's live stream. Only the end of a
 * large log is read and kept (the whole of it can be downloaded), so a log of any size keeps
 * the page responsive. "Pause" freezes what is shown (text keeps arriving underneath) so a
 * line can be read; "Follow" shows everything again and keeps the newest line in view. The search
 * marks its matches in what is shown, and finds new ones as the log grows; while it has a query
 * the view stays where the search put it instead of following the newest line.
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
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const matches = useMemo(
    () => findLogMatches(shown.text, query, maxMarkedMatches),
    [shown.text, query],
  );
  const count = matches.starts.length;
  /** The log may have been cut at its start since the current match was chosen. */
  const currentShown = Math.min(current, Math.max(count - 1, 0));
  const searching = query !== '';

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
      <LogSearch
        query={query}
        onQuery={(text) => {
          setQuery(text);
          setCurrent(0);
        }}
        current={currentShown}
        count={count}
        capped={matches.capped}
        onStep={(step) => {
          setCurrent(stepMatch(currentShown, count, step));
        }}
      />
      {shown.cut && (
        <p className="hint" data-testid="log-cut">
          Showing the end of a long log; download it to read it from the start.
        </p>
      )}
      <LogView
        text={shown.text}
        empty={<span className="muted">{ended ? '(empty log)' : 'Waiting for output…'}</span>}
        follow={following && !searching}
        marks={
          searching
            ? { starts: matches.starts, length: query.length, current: currentShown }
            : undefined
        }
      />
    </section>
  );
}
