import { isIPv6 } from 'node:net';

interface FailureWindow {
  start: number;
  failures: number;
}

/**
 * The key failures are counted under: the address itself, IPv4 within IPv6 as IPv4, and an
 * IPv6 address by its /64, which one host usually holds whole and could otherwise walk through.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back]
    : front;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Counts failed authentications per remote address in fixed windows: past `maxFailures` in one
 * window, the address is refused until the window ends, whatever it sends. Memory is bounded:
 * ended windows are dropped as failures come, and beyond `maxAddresses` the address that
 * failed least recently is forgotten first.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, FailureWindow>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again; undefined when it may now. */
  blockedFor(address: string): number | undefined {
    const window = this.windows.get(addressKey(address));
    if (window === undefined || window.failures < this.maxFailures) return undefined;
    const left = window.start + this.windowMs - this.now();
    return left > 0 ? Math.ceil(left / 1000) : undefined;
  }

  recordFailure(address: string): void {
    const key = addressKey(address);
    const time = this.now();
    let window = this.windows.get(key);
    if (window === undefined || time - window.start >= this.windowMs) {
      window = { start: time, failures: 0 };
    }
    window.failures += 1;
    // Re-inserted, so the map stays ordered by latest failure, oldest first.
    this.windows.delete(key);
    this.windows.set(key, window);
    this.forget(time);
  }

  /** Addresses tracked now. */
  get size(): number {
    return this.windows.size;
  }

  private forget(time: number): void {
    for (const [key, window] of this.windows) {
      const ended = time - window.start >= this.windowMs;
      if (!ended && this.windows.size <= this.maxAddresses) return;
      this.windows.delete(key);
    }
  }
}
