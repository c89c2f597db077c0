// npm run bench:faults — two bot processes behind one webhook on loopback, sharing a Redis
// (append-only) and a FerretDB, under bursts and faults. For each scenario it prints updates lost,
// handled twice, answered out of order, apologies, and p50/p99 time from the webhook's 200 to the
// reply; it exits non-zero when a target (0 lost, 0 twice, 0 out of order, 0 apologies) is missed.
//
// The issue's sizes:   npm run bench:faults -- --full   (1,000 updates of one chat; 10,000 over 1,000 chats)
// Default (quicker):   --burst 1000 --updates 2000 --chats 200
// Flags: --burst N, --updates N, --chats N, --senders N (64), --only NAME[,NAME], --lease-ms N (5000)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createDataCipher } from '../src/security/crypto.js';
import { SessionStore } from '../src/session/session-store.js';
import { redisStoredSessions } from '../src/session/mailbox.js';
import { startBotApiServer, type BotApiServer, type Update } from '../src/platform/bot-api/index.js';
import { freePort } from '../test/support/service-processes.js';
import { startRestartableFerret, startRestartableRedis, type RestartableService } from '../test/support/restartable.js';
import { spawnBot, type BotProcess } from '../test/support/spawn-bot.js';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    burst: { type: 'string' },
    updates: { type: 'string' },
    chats: { type: 'string' },
    senders: { type: 'string', default: '64' },
    only: { type: 'string' },
    'lease-ms': { type: 'string', default: '5000' },
  },
});
const BURST = Number(values.burst ?? 1000);
const UPDATES = Number(values.updates ?? (values.full ? 10_000 : 2000));
const CHATS = Number(values.chats ?? (values.full ? 1000 : 200));
const SENDERS = Number(values.senders);
const LEASE_MS = values['lease-ms'];
const SECRET = 'bench-faults-secret-0123456789';
const DATA_KEY = randomBytes(32).toString('hex');
const PREFIX = `faults-${randomBytes(3).toString('hex')}`;
const APOLOGIES = ['Sorry, something went wrong on our side', 'Извините, у нас что-то пошло не так', 'Кешіріңіз, бізде бір қате шықты'];
const DELAYED = 'Your answer is taking longer than usual';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Rig {
  api: BotApiServer;
  redis: RestartableService;
  ferret: RestartableService;
  client: Redis;
  store: SessionStore;
  bots: BotProcess[];
  ports: number[];
  env: (port: number) => Record<string, string>;
}

interface Scenario {
  name: string;
  chats: number;
  perChat: number;
  /** One in `twiceEvery` updates is delivered a second time, to the other process. */
  twiceEvery?: number;
  /** Callback prefix: `tallydb` also writes the database on every update. */
  prefix: 'tally' | 'tallydb';
  fault?: (rig: Rig) => Promise<void>;
}

interface Result {
  name: string;
  updates: number;
  lost: number;
  twice: number;
  outOfOrder: number;
  apologies: number;
  delayedNotes: number;
  repeatedReplies: number;
  p50: number;
  p99: number;
  seconds: number;
}

async function startRig(): Promise<Rig> {
  const [redis, ferret, api] = await Promise.all([startRestartableRedis(), startRestartableFerret(), startBotApiServer()]);
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  const store = new SessionStore(redisStoredSessions(client, `${PREFIX}:chat`), createDataCipher(Buffer.from(DATA_KEY, 'hex')));
  const env = (port: number) => ({
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    REDIS_URL: redis.url,
    MONGODB_URI: `${ferret.url}komek_faults`,
    DATA_KEY,
    REDIS_PREFIX: PREFIX,
    BOT_MODE: 'webhook',
    WEBHOOK_URL: 'https://example.kz/webhook',
    WEBHOOK_SECRET: SECRET,
    HTTP_PORT: String(port),
    MAILBOX_LEASE_MS: LEASE_MS,
    LOG_LEVEL: 'fatal',
  });
  const ports = [await freePort(), await freePort()];
  const bots = await Promise.all(ports.map((port) => spawnBot(env(port), 60_000)));
  return { api, redis, ferret, client, store, bots, ports, env };
}

/** POSTs like Telegram: until a 200, trying the other process when one does not answer. */
async function deliver(rig: Rig, update: Update, first: number): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const port = rig.ports[(first + attempt) % 2]!;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      if (res.status === 200) return Date.now();
    } catch {
      // connection refused (a killed process): the other one gets it
    }
    await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
  }
}

async function run(rig: Rig, scenario: Scenario, base: number): Promise<Result> {
  const chats = Array.from({ length: scenario.chats }, (_, i) => base + i);
  // Users who chose English earlier (sessions written through the real store).
  for (const chat of chats) await rig.client.set(`${PREFIX}:chat:{${chat}}:sess`, rig.store.seal({ locale: 'en', syncedAt: Date.now() }).sealed);
  const total = scenario.chats * scenario.perChat;
  const acked = new Map<string, number>();
  const started = Date.now();
  let delivered = 0;
  let faultDone: Promise<void> | undefined;

  // Each chat's updates go out in order, one after another (as Telegram does for one chat);
  // `SENDERS` chats are in flight at a time.
  let nextChat = 0;
  const sender = async () => {
    while (nextChat < chats.length) {
      const index = nextChat++;
      const chat = chats[index]!;
      for (let k = 0; k < scenario.perChat; k += 1) {
        const n = k;
        const update = rig.api.callback(chat, `${scenario.prefix}:${n}`, undefined, { enqueue: false });
        const first = (index + k) % 2;
        acked.set(`${chat}:${n}`, await deliver(rig, update, first));
        if (scenario.twiceEvery && (index * scenario.perChat + k) % scenario.twiceEvery === 0) await deliver(rig, update, first + 1);
        delivered += 1;
        if (scenario.fault && !faultDone && delivered >= total / 2) faultDone = scenario.fault(rig);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SENDERS, chats.length) }, sender));
  await faultDone;

  // Wait for every reply (or give up after a generous while: what is missing then is lost).
  const deadline = Date.now() + 120_000 + Number(LEASE_MS) * 2;
  const replied = () => chats.reduce((sum, chat) => sum + new Set(rig.api.messagesTo(chat).filter((m) => m.text?.startsWith('tally ')).map((m) => m.text)).size, 0);
  while (replied() < total && Date.now() < deadline) await sleep(100);
  await sleep(500);
  const seconds = (Date.now() - started) / 1000;

  let lost = 0;
  let twice = 0;
  let outOfOrder = 0;
  let apologies = 0;
  let delayedNotes = 0;
  let repeatedReplies = 0;
  const latencies: number[] = [];
  for (const chat of chats) {
    const session = await rig.store.peek(chat);
    const handled = (session?.data?.tally as number[] | undefined) ?? [];
    const counts = new Map<number, number>();
    for (const n of handled) counts.set(n, (counts.get(n) ?? 0) + 1);
    for (let n = 0; n < scenario.perChat; n += 1) {
      const c = counts.get(n) ?? 0;
      if (c === 0) lost += 1;
      if (c > 1) twice += c - 1;
    }
    const messages = rig.api.messagesTo(chat);
    let highest = -1;
    const seen = new Set<number>();
    for (const m of messages) {
      const text = m.text ?? '';
      if (APOLOGIES.some((a) => text.startsWith(a))) apologies += 1;
      if (text.startsWith(DELAYED)) delayedNotes += 1;
      if (!text.startsWith('tally ')) continue;
      const n = Number(text.slice(6));
      if (seen.has(n)) {
        repeatedReplies += 1;
        continue;
      }
      seen.add(n);
      if (n < highest) outOfOrder += 1;
      highest = Math.max(highest, n);
      const ack = acked.get(`${chat}:${n}`);
      if (ack !== undefined) latencies.push(Math.max(0, m.at - ack));
    }
    // A reply that never came for an update that was handled is lost for the user too.
    for (let n = 0; n < scenario.perChat; n += 1) if ((counts.get(n) ?? 0) > 0 && !seen.has(n)) lost += 1;
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]! : NaN);
  return { name: scenario.name, updates: total, lost, twice, outOfOrder, apologies, delayedNotes, repeatedReplies, p50: pct(50), p99: pct(99), seconds };
}

async function main(): Promise<void> {
  const rig = await startRig();
  const perChat = Math.max(1, Math.round(UPDATES / CHATS));
  const scenarios: Scenario[] = [
    { name: `${BURST} updates of one chat at once`, chats: 1, perChat: BURST, prefix: 'tally' },
    { name: `${UPDATES} over ${CHATS} chats, 1 in 8 twice`, chats: CHATS, perChat, twiceEvery: 8, prefix: 'tally' },
    {
      name: 'same, Redis restarted mid-run',
      chats: CHATS,
      perChat,
      twiceEvery: 8,
      prefix: 'tally',
      fault: async (r) => {
        await r.redis.stop();
        await sleep(1000);
        await r.redis.start();
      },
    },
    {
      name: 'same, one process SIGKILLed mid-run',
      chats: CHATS,
      perChat,
      twiceEvery: 8,
      prefix: 'tally',
      fault: async (r) => {
        await r.bots[0]!.kill('SIGKILL');
      },
    },
    {
      name: 'same, database stopped for 5 s',
      chats: CHATS,
      perChat,
      twiceEvery: 8,
      prefix: 'tallydb',
      fault: async (r) => {
        await r.ferret.stop();
        await sleep(5000);
        await r.ferret.start();
      },
    },
  ];
  const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
  const results: Result[] = [];
  let base = 1_000_000;
  for (const scenario of scenarios) {
    if (only && !only.some((o) => scenario.name.toLowerCase().includes(o))) continue;
    const result = await run(rig, scenario, base);
    base += 100_000;
    results.push(result);
    console.log(
      `${result.name.padEnd(42)} lost ${result.lost}  twice ${result.twice}  out of order ${result.outOfOrder}  apologies ${result.apologies}  ` +
        `p50 ${result.p50} ms  p99 ${result.p99} ms  (${result.updates} updates, ${result.seconds.toFixed(1)} s; ` +
        `"taking longer" notes ${result.delayedNotes}, replies repeated after a crash ${result.repeatedReplies})`,
    );
    // Let what is left of this scenario settle, so it does not weigh on the next one.
    const settle = Date.now() + 60_000;
    while ((await rig.client.zcard(`${PREFIX}:chat:ready`).catch(() => 1)) > 0 && Date.now() < settle) await sleep(200);
    // Bring a killed process back for the next scenario.
    if (rig.bots[0]!.child.exitCode !== null || rig.bots[0]!.child.signalCode !== null) rig.bots[0] = await spawnBot(rig.env(rig.ports[0]!), 60_000);
  }

  await Promise.all(rig.bots.map((b) => b.kill()));
  rig.client.disconnect();
  await rig.api.stop();
  await rig.redis.destroy();
  await rig.ferret.destroy();

  const missed = results.filter((r) => r.lost || r.twice || r.outOfOrder || r.apologies);
  console.log(
    `bench:faults — two bot processes, one webhook, Redis (append-only) and FerretDB on loopback, lease ${LEASE_MS} ms. ` +
      `Targets: 0 lost, 0 twice, 0 out of order, 0 apologies. ${missed.length ? `MISSED in: ${missed.map((r) => r.name).join('; ')}` : 'All met.'}`,
  );
  process.exit(missed.length ? 1 : 0);
}

await main();
