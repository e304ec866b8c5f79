import { useState } from 'react';

/** Copies `text` to the clipboard and says so (or why it could not) next to the button. */
export function CopyButton(props: { label: string; text: () => string }) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text());
      setSaid('Copied');
    } catch {
      setSaid('Could not copy: the browser refused the clipboard');
    }
  };
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()}>
        {props.label}
      </button>
      <span className="muted" role="status">
        {said}
      </span>
    </span>
  );
}
