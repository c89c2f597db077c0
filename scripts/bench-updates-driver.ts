// The other side of `npm run bench:updates`, in its own process: the local Bot API server (where
// both bots send their replies) and the load generator (which posts updates to their webhooks).
// Kept apart so that the figures of the bots' process are the bots' own, as in production, where
// Telegram is on another machine. Driven by the benchmark over the IPC channel of fork().
import http from 'node:http';
import { startBotApiServer, type Update } from '../src/platform/bot-api/index.js';

export type DriverRequest =
  | { kind: 'prepare'; url: string; headers: Record<string, string>; updates: PlannedUpdate[] }
  | { kind: 'drive'; url: string; headers: Record<string, string>; base: number; chats: number; count: number; concurrency: number }
  | { kind: 'stop' };

/** An update the benchmark wants posted, described in a form that crosses the IPC channel. */
export type PlannedUpdate = { type: 'command'; chatId: number; command: string } | { type: 'callback'; chatId: number; data: string };

export type DriverReply =
  | { kind: 'ready'; token: string; apiRoot: string }
  | { kind: 'prepared' }
  | { kind: 'driven'; rate: number; sent: number; cpuMicros: number; requests: number }
  | { kind: 'failed'; message: string };

const api = await startBotApiServer({ recordCalls: false });
const reply = (message: DriverReply) => process.send?.(message);

// Telegram's side is not on the bots' machine in production, so it should take as little of this
// one's CPU as it can: plain node:http on keep-alive connections. (With the global fetch, undici's
// streams and abort signals cost 650-1,000 µs per update here, and more for whichever bot answers
// its webhook before handling, as Komek does, which skewed the ratio by up to 0.08.)
const agent = new http.Agent({ keepAlive: true });

function post(url: string, headers: Record<string, string>, update: Update, body = JSON.stringify(update)): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`webhook answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as idle just as it was reused: the request never
      // reached the bot, so it is sent again on a fresh one (what Node's documentation advises).
      // Even if it had, both bots would see it twice only as Telegram's own retries do (Komek
      // drops a repeated update id; the bare peer's run would count one reply more and end early).
      if (request.reusedSocket && error.code === 'ECONNRESET') post(url, headers, update, body).then(resolve, reject);
      else reject(error);
    });
    request.end(body);
  });
}

/** Posts `count` text updates over `chats` chats with `concurrency` in flight; the clock stops when every reply has arrived. */
async function drive(request: Extract<DriverRequest, { kind: 'drive' }>): Promise<number> {
  const updates = Array.from({ length: request.count }, (_, i) => api.text(request.base + (i % request.chats), `answer ${i}`, { enqueue: false, languageCode: 'en' }));
  let next = 0;
  const sentBefore = api.counts.sent;
  const started = performance.now();
  const worker = async () => {
    while (next < updates.length) await post(request.url, request.headers, updates[next++]!);
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  // Komek's webhook answers once an update is stored and handles it after: for both bots alike,
  // the run ends when every reply has reached the Bot API.
  // A reply that never comes is a lost update: fail loudly instead of waiting forever.
  let lastSent = api.counts.sent;
  let lastProgress = performance.now();
  while (api.counts.sent - sentBefore < updates.length) {
    // Every 5 ms: waking more often costs this process CPU that would be charged to the bot whose
    // webhook answers before handling (Komek), and 5 ms is far inside a run of seconds.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (api.counts.sent !== lastSent) [lastSent, lastProgress] = [api.counts.sent, performance.now()];
    else if (performance.now() - lastProgress > 15_000) throw new Error(`${updates.length - (api.counts.sent - sentBefore)} of ${updates.length} replies never came`);
  }
  return updates.length / ((performance.now() - started) / 1000);
}

process.on('message', (message: DriverRequest) => {
  const work = async () => {
    if (message.kind === 'stop') {
      await api.stop();
      process.exit(0);
    }
    if (message.kind === 'prepare') {
      for (const planned of message.updates) {
        const update = planned.type === 'command' ? api.command(planned.chatId, planned.command, undefined, { enqueue: false, languageCode: 'en' }) : api.callback(planned.chatId, planned.data, undefined, { enqueue: false });
        await post(message.url, message.headers, update);
      }
      return reply({ kind: 'prepared' });
    }
    const cpu = process.cpuUsage();
    const requestsBefore = api.counts.requests;
    const rate = await drive(message);
    const used = process.cpuUsage(cpu);
    reply({ kind: 'driven', rate, sent: api.counts.sent, cpuMicros: used.user + used.system, requests: api.counts.requests - requestsBefore });
  };
  work().catch((error: unknown) => reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
});

// Never outlive the benchmark (a killed parent must not leave this process behind).
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready', token: api.token, apiRoot: api.apiRoot });
