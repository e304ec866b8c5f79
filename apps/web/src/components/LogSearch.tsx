import { formatCount } from '../format/formatCount.js';

/**
 * The log's search box: Enter goes to the next match, Shift+Enter to the previous one, and the
 * count says where the current one is ("3 of 17").
 */
export function LogSearch(props: {
  query: string;
  onQuery: (query: string) => void;
  current: number;
  count: number;
  capped: boolean;
  onStep: (step: 1 | -1) => void;
}) {
  const { query, count } = props;
  const position =
    query === ''
      ? ''
      : count === 0
        ? 'No matches'
        : `${(props.current + 1).toLocaleString('en')} of ${formatCount(count, props.capped)}`;
  return (
    <div className="log-search" role="search" aria-label="Search the log">
      <input
        type="search"
        aria-label="Search the log"
        placeholder="Search the log"
        value={query}
        onChange={(event) => {
          props.onQuery(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          props.onStep(event.shiftKey ? -1 : 1);
        }}
      />
      <span
        className="muted log-search-position"
        aria-live="polite"
        data-testid="log-search-position"
      >
        {position}
      </span>
      <button
        type="button"
        onClick={() => {
          props.onStep(-1);
        }}
        disabled={count === 0}
      >
        Previous
      </button>
      <button
        type="button"
        onClick={() => {
          props.onStep(1);
        }}
        disabled={count === 0}
      >
        Next
      </button>
    </div>
  );
}
