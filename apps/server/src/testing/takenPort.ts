import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';

/** A loopback port held by a listener of this process, so a server started on it finds it taken. */
export async function takePort(): Promise<{ port: number; release: () => void }> {
  const holder = createServer();
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const { port } = holder.address() as AddressInfo;
  return { port, release: () => holder.close() };
}
