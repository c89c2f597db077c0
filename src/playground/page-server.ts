// The playground page and its small JSON API, served next to the built-in Bot API on 127.0.0.1.
// Plain files, no build step, nothing loaded from elsewhere (the CSP forbids it).
import type http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotApiEvent, BotApiServer } from '../platform/bot-api/index.js';
import { findInRepo } from '../paths.js';
import { ActionError, performAction, sendRequest } from './actions.js';
import type { Persona } from './personas.js';
import { pageChat } from './views.js';
import { BodyTooLarge, readBody } from '../telegram/read-body.js';

export interface PageServerOptions {
  api: BotApiServer;
  personas: Persona[];
  staffChatId: number;
  /** Called for each accepted action, e.g. to log it. */
  onAction?: (persona: Persona, type: string) => void;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/map.js': { file: 'map.js', type: 'text/javascript; charset=utf-8' },
  '/i18n.js': { file: 'i18n.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const MAX_BODY = 64 * 1024;
const TOO_LARGE = JSON.stringify({ error: 'Too large.' });

export function createPageHandler(options: PageServerOptions): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const dir = findInRepo('src/playground/page');
  const files = new Map(Object.entries(STATIC).map(([path, f]) => [path, { body: readFileSync(join(dir, f.file)), type: f.type }]));
  const { api, personas, staffChatId } = options;
  const byKey = new Map(personas.map((p) => [p.key, p]));
  const knownChats = new Set<number>([staffChatId, ...personas.map((p) => p.userId)]);

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, 'application/json', JSON.stringify(value));

  const chatOf = (url: URL): number | undefined => {
    if (url.searchParams.get('chat') === 'group') return staffChatId;
    return byKey.get(url.searchParams.get('persona') ?? '')?.userId;
  };

  return (req, res) => {
    // Only pages opened from this machine by its loopback name: a web site cannot reach in
    // through DNS rebinding, and another site's form cannot post here (JSON only).
    const host = String(req.headers.host ?? '');
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return send(res, 403, 'text/plain', 'Forbidden');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(res, 400, 'text/plain', 'Bad request');
    }

    if (req.method === 'GET') {
      const file = files.get(url.pathname);
      if (file) return send(res, 200, file.type, file.body);
      if (url.pathname === '/api/personas') {
        return json(res, 200, { personas, staffChatId });
      }
      if (url.pathname === '/api/chat') {
        const chatId = chatOf(url);
        if (chatId === undefined) return json(res, 404, { error: 'No such person.' });
        return json(res, 200, pageChat(api, chatId));
      }
      if (url.pathname === '/api/file') {
        const chatId = chatOf(url);
        const id = Number(url.searchParams.get('message'));
        const message = chatId === undefined ? undefined : api.visibleMessages(chatId).find((m) => m.messageId === id);
        if (!message?.document) return send(res, 404, 'text/plain', 'Not found');
        const name = message.document.filename.replace(/[^\w.-]+/g, '_') || 'file';
        return send(res, 200, 'application/octet-stream', message.document.content, { 'content-disposition': `attachment; filename="${name}"` });
      }
      if (url.pathname === '/api/events') return events(api, knownChats, req, res);
      return send(res, 404, 'text/plain', 'Not found');
    }

    if (req.method === 'POST' && url.pathname === '/api/send') {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { error: 'Send JSON.' });
      // A 413 the page can show, not a cut connection; the rest of the body is not read.
      readBody(req, MAX_BODY).then(
        (raw) => {
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return json(res, 400, { error: 'Not JSON.' });
        }
        const parsed = sendRequest.safeParse(body);
        if (!parsed.success) return json(res, 400, { error: parsed.error.issues[0]?.message ?? 'Bad request.' });
        const persona = byKey.get(parsed.data.persona);
        if (!persona) return json(res, 404, { error: 'No such person.' });
        try {
          const update = performAction(api, persona, staffChatId, parsed.data);
          options.onAction?.(persona, parsed.data.action.type);
          return json(res, 200, { updateId: update.update_id });
        } catch (error) {
          if (error instanceof ActionError) return json(res, 409, { error: error.message });
          return json(res, 500, { error: 'The playground could not do that.' });
        }
        },
        (error: unknown) => (error instanceof BodyTooLarge ? send(res, 413, 'application/json', TOO_LARGE, { connection: 'close' }) : res.destroy()),
      );
      return;
    }
    return send(res, 405, 'text/plain', 'Method not allowed');
  };
}

/** Server-sent events: which chat changed, and toasts from answerCallbackQuery. */
function events(api: BotApiServer, knownChats: Set<number>, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...SECURITY_HEADERS });
  res.write('retry: 1000\n\n');
  const listener = (event: BotApiEvent) => {
    if (!knownChats.has(Number(event.chatId))) return;
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  api.events.on('event', listener);
  // A comment line now and then keeps idle connections from being cut.
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    api.events.off('event', listener);
  });
}
