import { useJobEventsConnection } from '@jobs/react';

/** Whether what the page shows is kept current: a dot and a word, announced when it changes. */
export function LiveStatus() {
  const connection = useJobEventsConnection();
  const [state, text] =
    connection.state === 'open'
      ? ['live', 'Live']
      : connection.state === 'connecting'
        ? ['waiting', 'Connecting…']
        : connection.state === 'reconnecting'
          ? ['waiting', 'Reconnecting…']
          : connection.state === 'paused'
            ? ['waiting', 'Paused while hidden']
            : ['off', 'Not updating'];
  return (
    <span className={`live-status live-status-${state}`} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
