// Starts throwaway redis-server and FerretDB processes on free local ports.
// Used by the vitest global setup and by the benchmark scripts, so it must not import vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';

export interface ServiceProcess {
  /** Connection URL: `redis://127.0.0.1:PORT` or `mongodb://127.0.0.1:PORT/`. */
  url: string;
  port: number;
  /** Temp directory holding the service's data; removed by stop(). */
  dir: string;
  pid: number | undefined;
  /** FerretDB's backend, for FerretDB processes. */
  backend?: FerretBackend;
  /** The PostgreSQL cluster a FerretDB process on that backend stores in (postgres:// URL). */
  postgresUrl?: string;
  /** Kills the process (SIGTERM, then SIGKILL after 3 s) and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long to wait for the service to answer, in ms. */
  readyTimeoutMs?: number;
  /** Extra command-line arguments for the service. */
  extraArgs?: string[];
}

const INSTALL_HINT = 'run `bash scripts/install-test-services.sh`';

/** The repository root: the nearest ancestor of this file holding a package.json. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json) not found');
    dir = parent;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function redisServerBinary(): string {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REDIS_SERVER_BIN=${fromEnv} does not exist; ${INSTALL_HINT}`);
    return fromEnv;
  }
  const found = findOnPath('redis-server');
  if (!found) throw new Error(`redis-server is not installed; ${INSTALL_HINT}`);
  return found;
}

export function ferretdbBinary(): string {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FERRETDB_BIN=${fromEnv} does not exist; ${INSTALL_HINT}`);
    return fromEnv;
  }
  const local = path.join(repoRoot(), '.tools', 'bin', 'ferretdb');
  if (existsSync(local)) return local;
  const found = findOnPath('ferretdb');
  if (!found) throw new Error(`FerretDB is not installed (looked at ${local} and PATH); ${INSTALL_HINT}`);
  return found;
}

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Children still running when this process exits (e.g. a crashed test run) are killed here,
// so no orphaned servers are left behind.
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function track(child: ChildProcess, dir: string): void {
  running.set(child, dir);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [c, d] of running) {
      c.kill('SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  });
}

interface Spawned {
  child: ChildProcess;
  /** Last lines of stdout+stderr, for error messages. */
  output(): string;
  /** Resolves when the process exits; carries the exit description. */
  exited: Promise<string>;
}

function spawnService(binary: string, args: string[], cwd: string, owner?: { uid: number; gid: number }): Spawned {
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
  track(child, cwd);
  // A server somebody forgot to stop must not keep the test runner alive; the exit hook kills it.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  let tail = '';
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`failed to start: ${err.message}`));
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
  });
  return { child, output: () => tail.trim(), exited };
}

/** PostgreSQL is stopped with SIGINT (fast shutdown: it does not wait for clients). */
async function stopChild(spawned: Spawned, dir: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const { child } = spawned;
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await spawned.exited;
    clearTimeout(killer);
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Polls `probe` until it succeeds, the process exits, or the deadline passes.
 * A process that exits early (e.g. the port was taken in the meantime) is reported as `exited`.
 */
async function waitReady(
  name: string,
  spawned: Spawned,
  probe: () => Promise<void>,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; exited: boolean; reason: string }> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void spawned.exited.then((r) => (exitReason = r));
  let lastError = 'not answering';
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return { ok: false, exited: true, reason: `${name} ${exitReason}` };
    try {
      await probe();
      return { ok: true };
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await sleep(50);
  }
  return { ok: false, exited: false, reason: `${name} did not answer within ${timeoutMs} ms (${lastError})` };
}

async function startWithRetries(
  name: string,
  attempt: () => Promise<ServiceProcess | { retry: string }>,
): Promise<ServiceProcess> {
  let lastReason = '';
  for (let i = 0; i < 3; i++) {
    const result = await attempt();
    if ('url' in result) return result;
    lastReason = result.retry;
  }
  throw new Error(`could not start ${name}: ${lastReason}`);
}

async function pingRedis(url: string, port: number): Promise<void> {
  await tcpOpen(port);
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
    enableOfflineQueue: false,
  });
  client.on('error', () => {}); // failures are reported by the rejected promises below
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  } finally {
    client.disconnect();
  }
}

/** Resolves once something accepts TCP connections on the port (cheap pre-check). */
function tcpOpen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}

async function pingMongo(url: string, port: number): Promise<void> {
  // The driver retries a refused connection until its server selection timeout, so only hand
  // it over once the port is open.
  await tcpOpen(port);
  const conn = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 1000,
    connectTimeoutMS: 1000,
    maxPoolSize: 1,
    autoIndex: false,
  });
  try {
    await conn.asPromise();
    const db = conn.db;
    if (!db) throw new Error('no database handle after connecting');
    await db.admin().ping();
  } finally {
    await conn.close(true).catch(() => {});
  }
}

/** Starts a private redis-server (no persistence) on a free 127.0.0.1 port. */
export async function startRedis(options: StartOptions = {}): Promise<ServiceProcess> {
  const binary = redisServerBinary();
  const timeout = options.readyTimeoutMs ?? 15_000;
  return startWithRetries('redis-server', async () => {
    const port = await freePort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-redis-'));
    const args = [
      '--save', '',
      '--appendonly', 'no',
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--daemonize', 'no',
      '--loglevel', 'warning',
      ...(options.extraArgs ?? []),
    ];
    const spawned = spawnService(binary, args, dir);
    const url = `redis://127.0.0.1:${port}`;
    const ready = await waitReady('redis-server', spawned, () => pingRedis(url, port), timeout);
    if (!ready.ok) {
      const out = spawned.output();
      await stopChild(spawned, dir);
      const reason = `${ready.reason}${out ? `\n${out}` : ''}`;
      if (ready.exited) return { retry: reason };
      throw new Error(`could not start redis-server: ${reason}`);
    }
    return service(url, port, dir, spawned);
  });
}

/** The FerretDB backend to use: `postgresql` (default; needs PostgreSQL's server binaries) or `sqlite`. */
export type FerretBackend = 'postgresql' | 'sqlite';

/**
 * FERRETDB_BACKEND picks the backend; by default PostgreSQL when its binaries are installed,
 * else SQLite. Measured (docs/scaling.md): FerretDB 1.24 on SQLite pushes only `_id` filters down,
 * so a look-up by telegramId scans the collection; on PostgreSQL equality filters reach the
 * database and, with the GIN companions of scripts/sql/ferretdb-gin-companions.sql, use an index.
 */
export function ferretBackend(): FerretBackend {
  const chosen = process.env.FERRETDB_BACKEND;
  if (chosen === 'sqlite' || chosen === 'postgresql') return chosen;
  if (chosen) throw new Error(`FERRETDB_BACKEND must be postgresql or sqlite, not ${chosen}`);
  return postgresBinDir() ? 'postgresql' : 'sqlite';
}

/** The directory holding initdb and postgres: PG_BIN_DIR, or the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return existsSync(path.join(fromEnv, 'postgres')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user that
 * Debian's package creates (or `nobody`); otherwise to whoever runs the tests.
 */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = passwd.find((f) => f[0] === 'postgres') ?? passwd.find((f) => f[0] === 'nobody');
  if (!entry) throw new Error('running as root, but there is no postgres or nobody user to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function runToEnd(binary: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-4000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(binary)} exited with ${code}: ${out.trim()}`))));
  });
}

/**
 * Starts a throwaway PostgreSQL cluster (initdb into a temp dir, no durability: it is thrown away)
 * on a free 127.0.0.1 port, with the GIN companion trigger installed. Returns a postgres:// URL.
 */
export async function startPostgres(options: StartOptions = {}): Promise<ServiceProcess> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL server binaries were not found (set PG_BIN_DIR); ${INSTALL_HINT}`);
  const owner = postgresOwner();
  const timeout = options.readyTimeoutMs ?? 60_000;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-postgres-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  await runToEnd(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], owner);
  return startWithRetries('PostgreSQL', async () => {
    const port = await freePort();
    const args = [
      '-D', data, '-p', String(port), '-k', dir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=200', '-c', 'shared_buffers=128MB',
      ...(options.extraArgs ?? []),
    ];
    const spawned = spawnService(path.join(bin, 'postgres'), args, dir, owner);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const psql = path.join(bin, 'psql');
    const probe = () => runToEnd(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1'], owner);
    const ready = await waitReady('PostgreSQL', spawned, probe, timeout);
    if (!ready.ok) {
      const out = spawned.output();
      await stopChild(spawned, dir, 'SIGINT');
      const reason = `${ready.reason}${out ? `\n${out}` : ''}`;
      if (ready.exited) return { retry: reason };
      throw new Error(`could not start PostgreSQL: ${reason}`);
    }
    const sql = path.join(repoRoot(), 'scripts', 'sql', 'ferretdb-gin-companions.sql');
    await runToEnd(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=1', '-f', sql], owner);
    return service(url, port, dir, spawned, 'SIGINT');
  });
}

/**
 * Starts a private FerretDB on a free 127.0.0.1 port: on its own throwaway PostgreSQL cluster
 * (stopped with it), or on SQLite in a temp dir; see ferretBackend().
 */
export async function startFerret(options: StartOptions & { backend?: FerretBackend } = {}): Promise<ServiceProcess> {
  const binary = ferretdbBinary();
  const backend = options.backend ?? ferretBackend();
  const timeout = options.readyTimeoutMs ?? 30_000;
  const postgres = backend === 'postgresql' ? await startPostgres() : undefined;
  try {
    const ferret = await startWithRetries('FerretDB', async () => {
      const port = await freePort();
      const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-ferretdb-'));
      const args = [
        ...(postgres ? ['--handler=postgresql', `--postgresql-url=${postgres.url}`] : ['--handler=sqlite', `--sqlite-url=file:${dir}/`]),
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
        ...(options.extraArgs ?? []),
      ];
      const spawned = spawnService(binary, args, dir);
      const url = `mongodb://127.0.0.1:${port}/`;
      const ready = await waitReady('FerretDB', spawned, () => pingMongo(url, port), timeout);
      if (!ready.ok) {
        const out = spawned.output();
        await stopChild(spawned, dir);
        const reason = `${ready.reason}${out ? `\n${out}` : ''}`;
        if (ready.exited) return { retry: reason };
        throw new Error(`could not start FerretDB: ${reason}`);
      }
      return { ...service(url, port, dir, spawned), backend };
    });
    if (!postgres) return ferret;
    let stopping: Promise<void> | undefined;
    return {
      ...ferret,
      backend,
      postgresUrl: postgres.url,
      stop: () => (stopping ??= ferret.stop().then(() => postgres.stop())),
    };
  } catch (err) {
    await postgres?.stop();
    throw err;
  }
}

function service(url: string, port: number, dir: string, spawned: Spawned, signal: NodeJS.Signals = 'SIGTERM'): ServiceProcess {
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dir,
    pid: spawned.child.pid,
    stop: () => (stopping ??= stopChild(spawned, dir, signal)),
  };
}

