import { Readable } from 'node:stream';
import type { RequestHandler, Response } from 'express';
import type { StoreVersion } from '../store/jobQueries.js';
import { ifNoneMatch } from './ifNoneMatch.js';

/** A page of the job list as it went out: its bytes, its headers, and the store version read. */
export interface PageAnswer {
  /** The store's identity and latest change when the page was read (see versionKey). */
  version: string;
  etag: string;
  link: string | undefined;
  body: Buffer;
}

/** One string per state of the whole store: it changes with every change to any job. */
export function versionKey(version: StoreVersion): string {
  return `${version.storeId}/${String(version.lastEventId)}`;
}

/** Bytes of pages kept: a few hundred pages of 100 jobs. */
export const DEFAULT_PAGE_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * The list pages served last, by request URL, each with the store version it was read at. A
 * page asked for again while the store is still at that version (a dashboard polling, a client
 * revalidating) is answered with the same bytes, without parsing the query, reading the jobs or
 * serialising them: the cost of one version read. Any change to any job moves the version, so an
 * answer is never served once a change has been acknowledged. Only pages that were answered 200
 * are kept; a URL seen first is always parsed and validated against the contract.
 */
export class PageAnswers {
  /**
   * Evicted in the clock order: a kept answer served since the last sweep passed it is marked
   * used, and a sweep moves a used answer to the back instead of dropping it. Marking is a field
   * write, where moving the answer to the back of the map at every use churned the map.
   */
  private readonly answers = new Map<string, { answer: PageAnswer; used: boolean }>();
  private heldBytes = 0;
  /** The key of the version read last: the store hands out one object until its next write. */
  private lastVersion: { version: StoreVersion; key: string } | undefined;

  constructor(
    private readonly currentVersion: () => Promise<StoreVersion>,
    private readonly maxBytes = DEFAULT_PAGE_ANSWER_BYTES,
  ) {}

  private keyOf(version: StoreVersion): string {
    if (this.lastVersion?.version !== version) {
      this.lastVersion = { version, key: versionKey(version) };
    }
    return this.lastVersion.key;
  }

  /** Answers a page kept at the current version; passes every other request on. */
  serve(): RequestHandler {
    return (req, res, next) => {
      const url = req.originalUrl;
      const kept = this.answers.get(url);
      if (kept === undefined) {
        next();
        return;
      }
      const { answer } = kept;
      this.currentVersion().then((version) => {
        if (this.keyOf(version) !== answer.version) {
          this.forget(url, answer);
          next();
          return;
        }
        kept.used = true;
        if (ifNoneMatch(req.headers['if-none-match'], answer.etag)) {
          res.setHeader('ETag', answer.etag);
          res.status(304).end();
          return;
        }
        setPageHeaders(res, answer);
        res.status(200).end(answer.body);
      }, next);
    };
  }

  /** Keeps the answer to `url`; the oldest answers not served since the last sweep make room. */
  remember(url: string, answer: PageAnswer): void {
    if (answer.body.length > this.maxBytes) return;
    const old = this.answers.get(url);
    if (old !== undefined) this.forget(url, old.answer);
    this.answers.set(url, { answer, used: false });
    this.heldBytes += answer.body.length;
    for (const [oldestUrl, oldest] of this.answers) {
      if (this.heldBytes <= this.maxBytes) break;
      if (oldestUrl === url) continue;
      if (oldest.used) {
        oldest.used = false;
        this.answers.delete(oldestUrl);
        this.answers.set(oldestUrl, oldest);
      } else {
        this.forget(oldestUrl, oldest.answer);
      }
    }
  }

  private forget(url: string, answer: PageAnswer): void {
    if (this.answers.get(url)?.answer !== answer) return;
    this.answers.delete(url);
    this.heldBytes -= answer.body.length;
  }
}

/** The headers of a 200 page: what Express's res.json would set, plus the ETag and Link. */
export function setPageHeaders(res: Response, answer: PageAnswer): void {
  res.setHeader('ETag', answer.etag);
  if (answer.link !== undefined) res.setHeader('Link', answer.link);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', answer.body.length);
}

/** The answer's bytes as a body ts-rest writes out as they are (it pipes streams). */
export function pageBody(answer: PageAnswer): Readable {
  return Readable.from([answer.body]);
}
