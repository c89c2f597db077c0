// npm run bench:updates — updates per second through the whole pipeline (webhook in, session,
// one scene step, reply out to a local Bot API server), side by side with a bare grammY bot
// using @grammyjs/storage-redis and sequentialize doing the same step. Prints both and the ratio.
// Flags: --updates N (default 4000), --chats N (100), --concurrency N (32), --rounds N (5).
import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Bot, session, webhookCallback, type Context, type SessionFlavor } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { z } from 'zod';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { createBot } from '../src/app/create-bot.js';
import { createAppRedis } from '../src/bootstrap.js';
import { createHttpServer } from '../src/telegram/http-server.js';
import type { Feature } from '../src/app/types.js';
import { defineScene } from '../src/engine/scene.js';
import type { DriverReply, DriverRequest, PlannedUpdate } from './bench-updates-driver.js';
import { freePort, startFerret, startRedis, type ServiceProcess } from '../test/support/service-processes.js';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '4000' },
    chats: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '5' },
  },
});
const UPDATES = Number(values.updates);
const CHATS = Number(values.chats);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const SECRET = 'bench-secret-0123456789abcdef';
const answerSchema = z.string().trim().min(1).max(200);

/** The step both bots run: validate a typed answer, count it, ask the next question. */
const benchScene = defineScene(z.object({ n: z.number().int().min(0), answer: answerSchema }), {
  id: 'bench',
  version: 1,
  namespace: 'common',
  titleKey: 'common:menu.help',
  steps: [{ id: 'answer', kind: 'text', prompt: 'common:progress', promptParams: (a) => ({ current: (a.n ?? 0) + 1, total: UPDATES }), schema: answerSchema }],
  async complete(answers) {
    return { replies: [], next: { scene: 'bench', seed: { n: answers.n + 1 } } };
  },
});
const benchFeature: Feature = { id: 'bench', scenes: [benchScene], commands: [{ command: 'bench', run: (ctx) => ctx.startScene('bench', { n: 0 }) }] };

interface BareSession {
  step: number;
  answer?: string;
}
type BareContext = Context & SessionFlavor<BareSession>;

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** CPU time of the bots' process per update during the last drive(), in microseconds. */
let sentTotal = 0;
let lastCpuPerUpdate = 0;
/** Commands each bot sent to Redis (a script call is one round trip), counted on its client. */
const sentCommands = { komek: new Map<string, number>(), bare: new Map<string, number>() };
let lastRedisPerUpdate: Record<string, number> = {};

function countCommands(client: Redis, into: Map<string, number>): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command: { name: string }, stream?: unknown) => {
    into.set(command.name, (into.get(command.name) ?? 0) + 1);
    return send(command as Parameters<typeof send>[0], stream as Parameters<typeof send>[1]);
  });
}

function snapshot(): Record<string, number> {
  const all: Record<string, number> = {};
  for (const map of Object.values(sentCommands)) for (const [name, n] of map) all[name] = (all[name] ?? 0) + n;
  return all;
}

/** The driver process (Bot API and load generator); one request at a time. */
interface Driver {
  request(message: DriverRequest): Promise<DriverReply>;
  stop(): void;
  ready: Extract<DriverReply, { kind: 'ready' }>;
}

async function startDriver(): Promise<Driver> {
  const child = fork(fileURLToPath(new URL('./bench-updates-driver.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  let waiting: ((reply: DriverReply) => void) | undefined;
  child.on('message', (reply: DriverReply) => waiting?.(reply));
  child.on('exit', (code) => {
    if (code !== 0) throw new Error(`the benchmark driver stopped with ${code}`);
  });
  const next = () => new Promise<DriverReply>((resolve) => (waiting = resolve));
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error('the benchmark driver did not start');
  return {
    ready,
    stop: () => child.send({ kind: 'stop' } satisfies DriverRequest),
    async request(message) {
      const answer = next();
      child.send(message);
      const reply = await answer;
      if (reply.kind === 'failed') throw new Error(`benchmark driver: ${reply.message}`);
      return reply;
    },
  };
}

/** Seconds of CPU the Redis server has used so far (INFO cpu), to see what the scripts cost it. */
async function redisCpu(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** System calls that read and write of this process so far (Linux /proc/self/io; zeros elsewhere). */
function syscalls(): { reads: number; writes: number } {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return { reads: 0, writes: 0 };
  }
}

let lastSyscallsPerUpdate = 0;
let lastRedisCpuPerUpdate = 0;
let lastDriverCpuPerUpdate = 0;
let lastApiRequestsPerUpdate = 0;
let cpuProbe: Redis;

async function drive(driver: Driver, url: string, base: number, count: number, headers: Record<string, string>): Promise<number> {
  const callsBefore = snapshot();
  const redisBefore = await redisCpu(cpuProbe);
  const callsAtStart = syscalls();
  const cpu = process.cpuUsage();
  const reply = await driver.request({ kind: 'drive', url, headers, base, chats: CHATS, count, concurrency: CONCURRENCY });
  if (reply.kind !== 'driven') throw new Error('unexpected driver reply');
  sentTotal = reply.sent;
  lastDriverCpuPerUpdate = reply.cpuMicros / count;
  lastApiRequestsPerUpdate = reply.requests / count;
  const used = process.cpuUsage(cpu);
  lastCpuPerUpdate = (used.user + used.system) / count;
  const callsAtEnd = syscalls();
  lastSyscallsPerUpdate = (callsAtEnd.reads + callsAtEnd.writes - callsAtStart.reads - callsAtStart.writes) / count;
  lastRedisCpuPerUpdate = ((await redisCpu(cpuProbe)) - redisBefore) * 1e6 / count;
  const callsAfter = snapshot();
  lastRedisPerUpdate = {};
  for (const [command, calls] of Object.entries(callsAfter)) {
    const delta = calls - (callsBefore[command] ?? 0);
    if (delta > 0) lastRedisPerUpdate[command] = delta / count;
  }
  return reply.rate;
}

async function main(): Promise<void> {
  const services: ServiceProcess[] = [];
  const redisUrl = process.env.REDIS_URL ?? (services[services.length] = await startRedis()).url;
  const mongoBase = process.env.MONGODB_URI ?? (services[services.length] = await startFerret()).url;
  const driver = await startDriver();
  const api = driver.ready;

  // Komek: the real pipeline behind the real webhook server.
  const config = loadConfig({
    ...process.env,
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: redisUrl,
    MONGODB_URI: mongoBase.replace(/\/?(\?|$)/, '/komek_bench$1'),
    DATA_KEY: randomBytes(32).toString('hex'),
    REDIS_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'silent',
  });
  cpuProbe = new Redis(redisUrl);
  // Komek's connection is made as in production (REDIS_AUTOPIPELINE=false to compare without).
  const redis = createAppRedis(config);
  countCommands(redis, sentCommands.komek);
  const mongo = await connectMongo(config.MONGODB_URI);
  const komek = await createBot(config, {
    redis,
    mongo,
    logger: createLogger('silent'),
    delivery: { enqueue: async () => undefined, cancel: async () => undefined },
    features: [benchFeature],
  });
  await komek.init();
  const komekPort = await freePort();
  const komekServer = createHttpServer({ port: komekPort, logger: komek.deps.logger, health: [], webhook: { path: '/webhook', secret: SECRET, runtime: komek.runtime } });
  await listen(komekServer, komekPort);

  // The bare bot: grammY, Redis session storage, sequentialize — no cross-process lock or dedupe.
  const bareRedis = new Redis(redisUrl);
  countCommands(bareRedis, sentCommands.bare);
  const bare = new Bot<BareContext>(api.token, { client: { apiRoot: api.apiRoot } });
  await bare.init();
  bare.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bare.use(session({ initial: (): BareSession => ({ step: 0 }), storage: new RedisAdapter<BareSession>({ instance: bareRedis }) }));
  // The same step as Komek's, written as a typical grammY bot would: validate, store the answer,
  // and ask the next question with its buttons, localized through i18next.
  const t = komek.i18n.instance.getFixedT('en');
  bare.on('message:text', async (ctx) => {
    const parsed = answerSchema.safeParse(ctx.message.text);
    if (!parsed.success) return void (await ctx.reply(t('errors:invalid')));
    ctx.session.step += 1;
    ctx.session.answer = parsed.data;
    await ctx.reply(t('common:progress', { current: ctx.session.step + 1, total: UPDATES }), {
      link_preview_options: { is_disabled: true },
      reply_markup: {
        inline_keyboard: [
          [{ text: t('common:nav.back'), callback_data: 'n:back' }, { text: t('common:nav.menu'), callback_data: 'n:menu' }],
          [{ text: t('common:nav.language'), callback_data: 'n:language' }, { text: t('common:nav.cancel'), callback_data: 'n:cancel' }],
        ],
      },
    });
  });
  const barePort = await freePort();
  const bareHandler = webhookCallback(bare, 'http', { secretToken: SECRET });
  // A failed update must answer 500 (Telegram would retry), not leave a rejected promise behind.
  const bareServer = createServer((req, res) => {
    bareHandler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await listen(bareServer, barePort);

  const headers = { 'x-telegram-bot-api-secret-token': SECRET };
  const komekUrl = `http://127.0.0.1:${komekPort}/webhook`;
  const bareUrl = `http://127.0.0.1:${barePort}/`;

  // Each Komek chat: choose a language and enter the bench scene before timing starts.
  const planned: PlannedUpdate[] = [];
  for (let c = 0; c < CHATS; c += 1) {
    const chatId = 100_000 + c;
    planned.push({ type: 'command', chatId, command: 'start' }, { type: 'callback', chatId, data: 'lang:en' }, { type: 'command', chatId, command: 'bench' });
  }
  await driver.request({ kind: 'prepare', url: komekUrl, headers, updates: planned });
  while (komek.pipeline.busy > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  // Warm both up (JIT, connections) with a few hundred updates each.
  await drive(driver, komekUrl, 100_000, 400, headers);
  await drive(driver, bareUrl, 200_000, 400, headers);

  const komekRates: number[] = [];
  const bareRates: number[] = [];
  const komekCpu: number[] = [];
  const bareCpu: number[] = [];
  const komekRedisCpu: number[] = [];
  const komekSyscalls: number[] = [];
  const bareSyscalls: number[] = [];
  const bareRedisCpu: number[] = [];
  const komekDriverCpu: number[] = [];
  const bareDriverCpu: number[] = [];
  let komekApiRequests = 0;
  let bareApiRequests = 0;
  let komekCommands: Record<string, number> = {};
  let bareCommands: Record<string, number> = {};
  // Alternate which bot goes first, so neither always runs on a heap the other left behind.
  for (let round = 0; round < ROUNDS; round += 1) {
    const runKomek = async () => {
      komekRates.push(await drive(driver, komekUrl, 100_000, UPDATES, headers));
      komekCpu.push(lastCpuPerUpdate);
      komekSyscalls.push(lastSyscallsPerUpdate);
      komekRedisCpu.push(lastRedisCpuPerUpdate);
      komekDriverCpu.push(lastDriverCpuPerUpdate);
      komekApiRequests = lastApiRequestsPerUpdate;
      komekCommands = lastRedisPerUpdate;
    };
    const runBare = async () => {
      bareRates.push(await drive(driver, bareUrl, 200_000, UPDATES, headers));
      bareCpu.push(lastCpuPerUpdate);
      bareSyscalls.push(lastSyscallsPerUpdate);
      bareRedisCpu.push(lastRedisCpuPerUpdate);
      bareDriverCpu.push(lastDriverCpuPerUpdate);
      bareApiRequests = lastApiRequestsPerUpdate;
      bareCommands = lastRedisPerUpdate;
    };
    if (round % 2 === 0) await runKomek().then(runBare);
    else await runBare().then(runKomek);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const k = median(komekRates);
  const b = median(bareRates);
  console.log(`bench:updates — ${UPDATES} updates × ${ROUNDS} rounds, ${CHATS} chats, ${CONCURRENCY} in flight, webhook in, one step, reply out`);
  console.log(`  komek pipeline (durable mailbox + lease + encrypted session and outbox, ${komek.runtime.name}, auto-pipelining ${config.REDIS_AUTOPIPELINE ? 'on' : 'off'}): ${k.toFixed(0)} updates/s  (rounds: ${komekRates.map((r) => r.toFixed(0)).join(', ')})`);
  console.log(`  bare grammY + storage-redis + sequentialize:                    ${b.toFixed(0)} updates/s  (rounds: ${bareRates.map((r) => r.toFixed(0)).join(', ')})`);
  console.log(`  ratio komek / bare: ${(k / b).toFixed(2)}x  (target ≥ 1.00x)`);
  console.log(`  CPU of the bots' process per update (the Bot API and load generator run in another): komek ${median(komekCpu).toFixed(0)} µs, bare ${median(bareCpu).toFixed(0)} µs`);
  console.log(`  read and write system calls of the bots' process per update: komek ${median(komekSyscalls).toFixed(1)}, bare ${median(bareSyscalls).toFixed(1)}`);
  console.log(`  CPU of the Redis server per update: komek ${median(komekRedisCpu).toFixed(0)} µs, bare ${median(bareRedisCpu).toFixed(0)} µs`);
  console.log(`  HTTP requests the Bot API served per update: komek ${komekApiRequests.toFixed(2)}, bare ${bareApiRequests.toFixed(2)}`);
  console.log(`  CPU of the Bot API and load generator per update: komek ${median(komekDriverCpu).toFixed(0)} µs, bare ${median(bareDriverCpu).toFixed(0)} µs`);
  // Throughput on a shared 2-core machine swings by ±0.1 between rounds; the CPU an update costs
  // everything involved (bot, Redis, the Bot API and load generator) swings far less.
  const komekWhole = median(komekCpu) + median(komekRedisCpu) + median(komekDriverCpu);
  const bareWhole = median(bareCpu) + median(bareRedisCpu) + median(bareDriverCpu);
  console.log(`  whole CPU per update (bots' process + Redis + Bot API and load generator): komek ${komekWhole.toFixed(0)} µs, bare ${bareWhole.toFixed(0)} µs; bare / komek ${(bareWhole / komekWhole).toFixed(2)}x`);
  const perUpdate = (calls: Record<string, number>) => {
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const parts = Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n.toFixed(2)}`);
    return `${total.toFixed(2)} (${parts.join(', ')})`;
  };
  console.log(`  Redis commands per update (a script call is one; with auto-pipelining several share a write): komek ${perUpdate(komekCommands)}; bare ${perUpdate(bareCommands)}`);
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  const pairRatios = komekRates.map((r, i) => r / bareRates[i]!);
  console.log(`  ratio per round (komek / bare of the same round): ${pairRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(pairRatios).toFixed(2)}x, spread ${spread(pairRatios)}`);
  console.log(`  messages sent to the local Bot API: ${sentTotal}`);

  await komek.runtime.stop();
  komekServer.close();
  bareServer.close();
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
  cpuProbe.disconnect();
  bareRedis.disconnect();
  driver.stop();
  for (const service of services) await service.stop();
}

await main();
// Open handles of the peers (grammY, ioredis) must not keep a finished benchmark alive.
process.exit(0);
