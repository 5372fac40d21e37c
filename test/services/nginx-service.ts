import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';
import { freePort, waitForPort } from './free-port.js';
import { ServiceProcess } from './service-process.js';

/**
 * The nginx configuration in front of `recur serve` replicas: the one docs/guides/deploy.md shows
 * (the guide's copy is checked against this function's output). `temp` is the folder for nginx's
 * own temporary files.
 *
 * - `proxy_next_upstream ... non_idempotent`: a request that could not reach a replica (connection
 *   refused while it restarts, reset while it stops accepting, or its coded 503 while it drains) is
 *   passed to the next one. Recur's inference routes have no side effects, so POSTs may be retried.
 * - `proxy_buffering off`: streamed completions reach the client token by token.
 * - No upstream keep-alive: every request opens a connection, so none is sent on a connection that
 *   a draining replica is closing.
 */
export function nginxConfig(listenPort: number, upstreamPorts: readonly number[], temp: string): string {
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n');
  return `worker_processes 1;
pid ${join(temp, 'nginx.pid')};
error_log ${join(temp, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${join(temp, 'access.log')};
  client_body_temp_path ${join(temp, 'client_body')};
  proxy_temp_path ${join(temp, 'proxy')};
  fastcgi_temp_path ${join(temp, 'fastcgi')};
  uwsgi_temp_path ${join(temp, 'uwsgi')};
  scgi_temp_path ${join(temp, 'scgi')};

  upstream recur {
${servers}
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://recur;
      proxy_http_version 1.1;
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      proxy_buffering off;
    }
  }
}
`;
}

/**
 * A real nginx (Debian's package) on a free loopback port, run in the foreground with
 * `-p prefix -c conf -g 'daemon off;'` and `-e` for its start-up log: its config, pid, logs and
 * temporary files stay in a temporary folder, and nothing under /etc or /var is read or written.
 */
export class NginxService {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly process: ServiceProcess,
  ) {}

  static async start(upstreamPorts: readonly number[]): Promise<NginxService> {
    const binary = findBinary('nginx');
    const dir = await mkdtemp(join(tmpdir(), 'recur-nginx-'));
    // Run as root, nginx's workers switch to an unprivileged user, which must reach these folders.
    await chmod(dir, 0o755);
    for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    await writeFile(conf, nginxConfig(port, upstreamPorts, dir));
    const proc = ServiceProcess.start(
      'nginx',
      binary,
      ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
      join(dir, 'stdout.log'),
    );
    let up = false;
    const exited = proc.exit().then((code) => {
      if (!up) throw new Error(`nginx exited with ${code} at start; see ${join(dir, 'error.log')}`);
    });
    await Promise.race([waitForPort(port, 10000, 'nginx'), exited]);
    up = true;
    return new NginxService(dir, port, proc);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
