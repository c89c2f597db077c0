import http from 'node:http';
import type { Update } from '../../src/platform/bot-api/index.js';

/**
 * One webhook POST to `/hook` over `agent` (kept-alive connections, as Telegram sends them),
 * with the secret header: the status, or 0 when no answer came (connection refused or dropped).
 */
export function postWebhook(agent: http.Agent, port: number, secret: string, update: Update): Promise<number> {
  const body = JSON.stringify(update);
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/hook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': secret } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
