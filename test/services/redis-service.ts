import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';
import { freePort } from './free-port.js';
import { ServiceProcess } from './service-process.js';

/**
 * A real redis-server (Debian's package) on a free loopback port, with its data, pid and log in a
 * temporary folder. Persistence is on (append-only file, fsync on every write) so that a restart on
 * the same folder keeps the queue, as a production Redis under BullMQ should be configured.
 */
export class RedisService {
  private process: ServiceProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly binary: string,
  ) {}

  static async start(): Promise<RedisService> {
    const binary = findBinary('redis-server');
    const redis = new RedisService(await mkdtemp(join(tmpdir(), 'recur-redis-')), await freePort(), binary);
    await redis.startProcess();
    return redis;
  }

  /** `redis://127.0.0.1:PORT`, as `--queue` takes it. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the server (it writes its files on SIGTERM) and starts it again on the same port and data. */
  async restart(downMs = 0): Promise<void> {
    await this.process?.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startProcess();
  }

  /** Stops the server and removes its folder. */
  async stop(): Promise<void> {
    await this.process?.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Runs one command without a client library (RESP inline command); returns the raw reply. */
  command(...words: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port });
      let reply = '';
      socket.once('error', reject);
      socket.on('data', (d) => {
        reply += d.toString();
        if (reply.endsWith('\r\n')) {
          socket.destroy();
          resolve(reply.trim());
        }
      });
      socket.once('connect', () => socket.write(`${words.join(' ')}\r\n`));
    });
  }

  private async startProcess(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--daemonize',
      'no',
      '--pidfile',
      join(this.dir, 'redis.pid'),
      '--logfile',
      '',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      // BullMQ needs keys never to be evicted.
      '--maxmemory-policy',
      'noeviction',
    ];
    const proc = ServiceProcess.start('redis-server', this.binary, args, join(this.dir, 'redis.log'));
    this.process = proc;
    const deadline = Date.now() + 10000;
    for (;;) {
      if (!proc.running) throw new Error(`redis-server exited at start; see ${join(this.dir, 'redis.log')}`);
      // Redis answers -LOADING while it replays its append-only file: ready means PONG.
      const reply = await this.command('PING').catch(() => '');
      if (reply === '+PONG') return;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${this.port} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
