import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useLayoutEffect, useMemo, useRef } from 'react';
import { type LogLines, lineOf, matchesOnLine, splitLogLines } from '../logs/logLines.js';

/** Height of one unwrapped line, before the lines are measured. */
const estimatedLineHeight = 18;
/** Lines drawn above and below the visible ones, so quick scrolling finds text already there. */
const marginLines = 40;
/** Room above the first line and below the last, as the log's box would pad it. */
const edgePadding = 12;

/** One line, its matches in a <mark>, the current one marked `current`. */
function markedLine(
  log: LogLines,
  line: number,
  marks: { starts: readonly number[]; length: number; current: number },
): ReactNode {
  const text = log.lines[line] ?? '';
  const { first, end } = matchesOnLine(log, line, marks.starts);
  if (first === end) return text;
  const lineStart = log.starts[line] ?? 0;
  const parts: ReactNode[] = [];
  let from = 0;
  for (let index = first; index < end; index += 1) {
    const start = (marks.starts[index] ?? 0) - lineStart;
    parts.push(text.slice(from, start));
    parts.push(
      <mark key={start} className={index === marks.current ? 'current' : undefined}>
        {text.slice(start, start + marks.length)}
      </mark>,
    );
    from = start + marks.length;
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * A log's text, of which only the lines in view (and a margin) are in the page: megabytes of
 * log stay quick to scroll, search and follow. The box is focusable, so the keyboard scrolls it,
 * and labelled for screen readers; the lines in it can be selected and copied.
 */
export function LogView(props: {
  text: string;
  /** Shown instead while there is no text. */
  empty: ReactNode;
  /** Keeps the last line in view as the text grows. */
  follow: boolean;
  /** The search's matches (where they start in the text) and which one is current. */
  marks: { starts: readonly number[]; length: number; current: number } | undefined;
}) {
  const { text, follow, marks } = props;
  const log = useMemo(() => splitLogLines(text), [text]);
  const box = useRef<HTMLDivElement>(null);
  const lines = useVirtualizer({
    count: text === '' ? 0 : log.lines.length,
    getScrollElement: () => box.current,
    estimateSize: () => estimatedLineHeight,
    overscan: marginLines,
    paddingStart: edgePadding,
    paddingEnd: edgePadding,
  });
  const count = lines.options.count;

  useLayoutEffect(() => {
    if (follow && count > 0) lines.scrollToIndex(count - 1, { align: 'end' });
  }, [text, follow, count, lines]);

  // Brings the current match to the middle of the view, without scrolling the page; lines
  // added below it leave the view where it is.
  const currentAt = marks === undefined ? undefined : marks.starts[marks.current];
  const currentLine = currentAt === undefined ? undefined : lineOf(log, currentAt);
  useLayoutEffect(() => {
    if (currentLine !== undefined) lines.scrollToIndex(currentLine, { align: 'center' });
  }, [currentLine, currentAt, lines]);

  const items = lines.getVirtualItems();
  return (
    <div
      ref={box}
      className="log log-view"
      role="region"
      tabIndex={0}
      aria-label="Job log"
      data-testid="job-log"
      data-lines={count}
    >
      {count === 0 ? (
        <div className="log-empty">{props.empty}</div>
      ) : (
        <div className="log-lines" style={{ height: lines.getTotalSize() }}>
          <div style={{ transform: `translateY(${String(items[0]?.start ?? 0)}px)` }}>
            {items.map((item) => (
              <div
                key={item.key}
                className="log-line"
                data-index={item.index}
                ref={lines.measureElement}
              >
                {marks === undefined
                  ? (log.lines[item.index] ?? '')
                  : markedLine(log, item.index, marks)}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
