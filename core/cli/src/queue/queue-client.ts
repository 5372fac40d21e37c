import { Queue } from 'bullmq';
import { QueueErrors as E } from '../errors.js';
import { connectionOptions, type QueueAddress } from './queue-url.js';

/** How long a command waits for Redis to answer at start before it reports RECUR_E_QUEUE_UNREACHABLE. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A BullMQ Queue handle on a reachable Redis, or RECUR_E_QUEUE_UNREACHABLE. */
export async function openQueue(name: string, address: QueueAddress): Promise<Queue> {
  const queue = new Queue(name, { connection: connectionOptions(address) });
  // Reconnection errors are expected while Redis restarts; BullMQ retries by itself.
  queue.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.waitUntilReady(),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error('timeout'));
        }, CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch {
    await queue.close().catch(() => undefined);
    throw E.UNREACHABLE(`Redis at ${address.label} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`, {
      expected: 'a running Redis (redis-server) at the --queue address',
    });
  } finally {
    clearTimeout(timer);
  }
  return queue;
}
