// Redis or the database frozen (SIGSTOP: a hung server, or a network path that drops packets
// without a reset): the connection stays open and nothing answers. /healthz must still answer
// within the health check's own timeout (5 s in the image and in compose) and say which one is down.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { createHttpServer } from '../../src/telegram/http-server.js';
import { storeHealthChecks } from '../../src/telegram/health-checks.js';
import { createAppRedis } from '../../src/bootstrap.js';
import { connectMongo } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { startFerret, startRedis, type ServiceProcess } from '../support/service-processes.js';

const PROBE_TIMEOUT_MS = 5_000;

describe('/healthz with a frozen Redis or database', () => {
  let redisServer: ServiceProcess;
  let ferret: ServiceProcess;
  let redis: Redis;
  let mongo: Connection;
  let server: Server;
  let base = '';
  beforeAll(async () => {
    [redisServer, ferret] = await Promise.all([startRedis(), startFerret({ backend: 'sqlite' })]);
    redis = createAppRedis({ REDIS_URL: redisServer.url, REDIS_AUTOPIPELINE: false });
    redis.on('error', () => undefined);
    mongo = await connectMongo(`${ferret.url}frozen_stores`);
    server = createHttpServer({ port: 0, logger: createLogger('silent'), health: storeHealthChecks(redis, mongo) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    for (const service of [redisServer, ferret]) if (service?.pid) process.kill(service.pid, 'SIGCONT');
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    redis?.disconnect();
    await mongo?.close(true).catch(() => undefined);
    await Promise.all([redisServer?.stop(), ferret?.stop()]);
  });

  /**
   * SIGSTOP, then wait until the kernel shows the process stopped: kill() returns before every
   * thread of a busy process has stopped, and once a probe was answered "up" in between.
   */
  async function freeze(pid: number): Promise<void> {
    process.kill(pid, 'SIGSTOP');
    for (let i = 0; i < 200; i += 1) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`process ${pid} did not stop`);
  }

  async function probe(): Promise<{ status: number; body: unknown; ms: number }> {
    const started = Date.now();
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { status: res.status, body: await res.json(), ms: Date.now() - started };
  }

  it('answers 503 in time naming the frozen one, and 200 again once it runs', async () => {
    expect(await probe()).toMatchObject({ status: 200, body: { status: 'ok', redis: 'up', mongo: 'up' } });

    await freeze(redisServer.pid!);
    const redisFrozen = await probe();
    expect(redisFrozen).toMatchObject({ status: 503, body: { status: 'degraded', redis: 'down', mongo: 'up' } });
    expect(redisFrozen.ms).toBeLessThan(PROBE_TIMEOUT_MS - 1_000);
    process.kill(redisServer.pid!, 'SIGCONT');
    expect(await probe()).toMatchObject({ status: 200, body: { redis: 'up', mongo: 'up' } });

    await freeze(ferret.pid!);
    const mongoFrozen = await probe();
    expect(mongoFrozen).toMatchObject({ status: 503, body: { status: 'degraded', redis: 'up', mongo: 'down' } });
    expect(mongoFrozen.ms).toBeLessThan(PROBE_TIMEOUT_MS - 1_000);
    process.kill(ferret.pid!, 'SIGCONT');
    let again = await probe().catch(() => undefined);
    for (let i = 0; i < 100 && again?.status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await probe().catch(() => undefined);
    }
    expect(again).toMatchObject({ status: 200, body: { redis: 'up', mongo: 'up' } });
  }, 90_000);
});
