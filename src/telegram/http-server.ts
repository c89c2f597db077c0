import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { BotRuntime } from './api-caller.js';

export interface HealthCheck {
  name: string;
  check: () => Promise<boolean>;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  health: HealthCheck[];
  /** Set in webhook mode: updates are POSTed to `path` with the secret header. */
  webhook?: { path: string; secret: string; runtime: BotRuntime };
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** GET /healthz for the orchestrator, and the webhook endpoint in webhook mode. */
export function createHttpServer(options: HttpServerOptions): Server {
  return createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/healthz') {
          const results = await Promise.all(
            options.health.map(async (h) => [h.name, await h.check().catch(() => false)] as const),
          );
          const ok = results.every(([, up]) => up);
          send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', ...Object.fromEntries(results.map(([n, up]) => [n, up ? 'up' : 'down'])) });
          return;
        }
        const hook = options.webhook;
        if (hook && req.method === 'POST' && req.url === hook.path) {
          if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], hook.secret)) {
            send(res, 401, { ok: false });
            return;
          }
          let update: unknown;
          try {
            update = JSON.parse(await readBody(req));
          } catch {
            send(res, 400, { ok: false });
            return;
          }
          // Answer once the update is handled (milliseconds): a 200 before that would lose the
          // update if the process died, while Telegram retries anything not acknowledged.
          await options.webhook!.runtime.handleUpdate(update);
          send(res, 200, { ok: true });
          return;
        }
        send(res, 404, { ok: false });
      } catch (error) {
        options.logger.error({ err: error }, 'http request failed');
        if (!res.headersSent) send(res, 500, { ok: false });
      }
    })();
  });
}
