// A redis-server (append-only, as in production) or FerretDB that a test or benchmark can stop
// and start again on the same port with the same data, to play an outage. Used by vitest tests
// and by scripts/bench-faults.ts, so it must not import vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ferretdbBinary, freePort, redisServerBinary } from './service-processes.js';

export interface RestartableService {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: Redis writes its append-only file first); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * `graceMs`: how long a stopped server may finish what it is doing before it is killed. FerretDB
 * closes its port at once on SIGTERM but then holds every idle client connection open for a
 * fixed 3 s before it exits; a test's outage would wait that out at each stop, so it gets a short
 * grace (its SQLite store is safe against a killed process; requests still running are cut, as
 * in any real outage).
 */
async function restartable(name: string, binary: string, argsFor: (port: number, dir: string) => string[], urlFor: (port: number) => string, graceMs = 5000): Promise<RestartableService> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), `komek-${name}-`));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(binary, argsFor(port, dir), { cwd: dir, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
      if (await accepting(port)) return;
      await sleep(30);
    }
    throw new Error(`${name} did not start on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), graceMs).unref();
    });
  };
  await start();
  return {
    url: urlFor(port),
    port,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Redis with append-only persistence, as docker-compose.yml runs it (fsync every second). */
export function startRestartableRedis(): Promise<RestartableService> {
  return restartable(
    'redis',
    redisServerBinary(),
    (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    (port) => `redis://127.0.0.1:${port}`,
  );
}

export function startRestartableFerret(): Promise<RestartableService> {
  return restartable(
    'ferretdb',
    ferretdbBinary(),
    (port, dir) => [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    (port) => `mongodb://127.0.0.1:${port}/`,
    300,
  );
}
