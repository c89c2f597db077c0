import { createServer, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { BotRuntime } from './api-caller.js';
import { checkInTime, type HealthCheck } from './health-checks.js';
import { BodyTooLarge, readBody } from './read-body.js';

export interface HttpServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  health: HealthCheck[];
  /** Set in webhook mode: updates are POSTed to `path` with the secret header. */
  webhook?: { path: string; secret: string; runtime: BotRuntime };
  /** Shorter limits for tests; production uses the defaults below. */
  timeouts?: { headersMs: number; requestMs: number };
}

/**
 * How long a client may take to send its headers, and its whole request. Node's own defaults
 * (60 s and 5 min, checked every 30 s) let a client that trickles a byte at a time hold a
 * connection for minutes, and enough of them take every socket Telegram and the health check
 * need. Telegram sends an update (at most 1 MB) in well under a second.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How long an idle connection stays open for the next request: longer than the proxy in front
 * keeps its idle connections to us (Caddy: 2 minutes; nginx and cloud load balancers: 60 s).
 * With Node's 5 s the proxy now and then sends a webhook into a connection Node has just closed,
 * and a POST caught that way is a 502 to Telegram, which then waits before it tries again.
 */
const KEEP_ALIVE_TIMEOUT_MS = 130_000;

const MAX_BODY = 1024 * 1024;
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const json = JSON.stringify(body);
  // writeHead fixes the framing at once: without a length it would be chunked encoding, more
  // bytes and more parsing for Telegram on every update.
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...(close ? { connection: 'close' } : {}) });
  res.end(json);
}

/** GET /healthz for the orchestrator, and the webhook endpoint in webhook mode. */
export function createHttpServer(options: HttpServerOptions): Server {
  const headersTimeout = options.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = options.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS;
  // The limits are enforced by a sweep over the connections: often enough that they hold.
  const connectionsCheckingInterval = Math.min(1_000, headersTimeout / 2);
  // Once the server is closing, an answer also closes its connection: server.close() waits for
  // every connection, and one kept alive for the next request would hold the stop for minutes.
  const answer = (res: ServerResponse, status: number, body?: unknown, close = false) => {
    const closing = close || !server.listening;
    if (body !== undefined) return send(res, status, body, closing);
    // No body: a plain length of 0, not chunked encoding.
    res.writeHead(status, { 'content-length': 0, ...(closing ? { connection: 'close' } : {}) });
    res.end();
  };
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval }, (req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/healthz') {
          const results = await Promise.all(options.health.map(async (h) => [h.name, await checkInTime(h)] as const));
          const ok = results.every(([, up]) => up);
          answer(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', ...Object.fromEntries(results.map(([n, up]) => [n, up ? 'up' : 'down'])) });
          return;
        }
        const hook = options.webhook;
        // The path only: Telegram posts to WEBHOOK_URL as given, with any query it carries.
        if (hook && req.method === 'POST' && (req.url ?? '').split('?')[0] === hook.path) {
          if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], hook.secret)) {
            // Closed, not kept alive: the body that follows is never read, so it is not waited for.
            answer(res, 401, { ok: false }, true);
            return;
          }
          let update: unknown;
          try {
            update = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8'));
          } catch (error) {
            if (error instanceof BodyTooLarge) answer(res, 413, { ok: false }, true);
            else answer(res, 400, { ok: false });
            return;
          }
          // Answer only once the update is stored in its chat's mailbox (Redis with append-only
          // persistence): a 200 before that would lose it if the process died. When Redis refuses,
          // 503 makes Telegram deliver it again. Handling happens after the answer, in order.
          let intake;
          try {
            intake = await hook.runtime.accept(update);
          } catch (error) {
            options.logger.error({ err: error }, 'could not store an update; answered 503 so Telegram sends it again');
            answer(res, 503, { ok: false });
            return;
          }
          // Not an update (null, a message without a chat): never 500, which Telegram would retry forever.
          if (intake === 'invalid') options.logger.warn({ bodyType: update === null ? 'null' : typeof update }, 'webhook body is not a Telegram update; ignored');
          // An empty 200 is all Telegram reads: no body to frame, stream and parse on its side.
          answer(res, 200);
          return;
        }
        answer(res, 404, { ok: false });
      } catch (error) {
        options.logger.error({ err: error }, 'http request failed');
        if (!res.headersSent) answer(res, 500, { ok: false });
      }
    })();
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
