import { describeError } from '../api/describeError.js';

/** A failed call, said plainly; `role="alert"` so screen readers announce it. */
export function ErrorBanner(props: { error: unknown; stale?: boolean }) {
  const { title, detail } = describeError(props.error);
  return (
    <div className="banner error" role="alert">
      <strong>{title}</strong>
      <span>{detail}</span>
      {props.stale === true && <span className="muted">Showing the last data received.</span>}
    </div>
  );
}
