import { useJobEventsConnection } from '@jobs/react';

/**
 * Said on every page while the server cannot be reached: what is shown is the last data
 * received, and changes made meanwhile appear once the stream resumes after its last event.
 */
export function ConnectionBanner() {
  const connection = useJobEventsConnection();
  // One failed attempt is often a blip (a proxy's idle timeout): the second one is said.
  if (connection.state !== 'reconnecting' || connection.attempt < 2) return null;
  return (
    <div className="banner error" role="alert">
      <strong>Cannot reach the Jobs server</strong>
      <span>
        No answer from {window.location.origin}. It may be stopped or restarting; this page keeps
        trying and catches up on every change once it answers.
      </span>
      <span className="muted">Showing the last data received.</span>
    </div>
  );
}
