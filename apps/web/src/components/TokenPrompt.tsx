import { type SyntheticEvent, useId, useState } from 'react';

/** Shown when the API answers 401: the server has tokens configured and ours is missing or wrong. */
export function TokenPrompt(props: { rejected: boolean; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const inputId = useId();
  const hintId = useId();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (value.trim() !== '') props.onToken(value.trim());
  };
  return (
    <section className="panel narrow-panel" aria-labelledby={`${inputId}-title`}>
      <h1 id={`${inputId}-title`}>This server needs an API token</h1>
      <p id={hintId} className="muted">
        {props.rejected
          ? 'The token was not accepted. Check it and try again.'
          : 'Paste a token from the server’s tokens file. It is kept for this browser tab only.'}
      </p>
      <form onSubmit={submit} className="stack">
        <label htmlFor={inputId}>API token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          autoFocus
          aria-describedby={hintId}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
          }}
        />
        <div>
          <button type="submit" className="primary">
            Use token
          </button>
        </div>
      </form>
    </section>
  );
}
