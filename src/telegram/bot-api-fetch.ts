import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

/**
 * The `fetch` grammY's client is given: one Bot API request over node:http(s) with a keep-alive
 * agent, and nothing else. grammY's default (node-fetch behind an AbortController polyfill)
 * builds Request, Headers and an EventTarget for every call; measured against the local Bot API,
 * that cost 211-481 µs of CPU per sendMessage where this costs 112-173 µs, and every update and
 * every delivered notice makes at least one call. grammY reads only `json()` of the answer.
 *
 * Supported as grammY uses it: POST with a string body (JSON) or a stream (multipart uploads),
 * an abort signal (grammY's timeout), any HTTP status (the Bot API answers errors in JSON; a body
 * that is not JSON rejects in `json()`, which grammY reports as an HttpError like node-fetch's).
 */
export interface BotApiRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  signal?: AbortSignalLike | null;
}

/** The part of an AbortSignal used here (grammY passes its polyfill's signal on Node). */
interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface BotApiResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

export function botApiFetch(url: string | URL, init: BotApiRequestInit = {}): Promise<BotApiResponse> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const secure = target.protocol === 'https:';
  const transport = secure ? https : http;
  const signal = init.signal ?? undefined;
  return new Promise<BotApiResponse>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const body = init.body;
    // A known length instead of chunked encoding: one write for headers and body, and less to
    // parse on the other side.
    const headers = typeof body === 'string' || Buffer.isBuffer(body) ? { ...init.headers, 'content-length': String(Buffer.byteLength(body)) } : init.headers;
    const request = transport.request(target, { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http });
    const onAbort = () => request.destroy(abortError());
    signal?.addEventListener('abort', onAbort);
    const settle = () => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      settle();
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        settle();
        reject(error);
      });
      response.on('end', () => {
        settle();
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(text), json: () => Promise.resolve().then(() => JSON.parse(text) as unknown) });
      });
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) request.end(body);
    else {
      body.on('error', (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

function abortError(): Error {
  const error = new Error('The Bot API request was aborted');
  error.name = 'AbortError';
  return error;
}
