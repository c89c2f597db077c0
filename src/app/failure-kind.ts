import type { ApiCaller } from '../telegram/api-caller.js';

/**
 * Whether an error is worth trying again: Redis, the database or the network away for a moment,
 * Telegram busy (429) or failing (5xx). Anything else (a bug, a refused request) would fail the
 * same way again, so the update goes to the dead-letter list at once.
 * Sorted by error names and codes, never by message texts (those may hold user input), except
 * the fixed texts some drivers use for "not connected".
 */

const TRANSIENT_NAMES = new Set([
  // MongoDB driver and mongoose
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoWaitQueueTimeoutError',
  // ioredis
  'MaxRetriesPerRequestError',
  // our own signals
  'TransientError',
  // services/record-lock.ts: another writer of the record is slow; it finishes or its key expires
  'RecordLockedError',
]);

const SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** Fixed driver texts for "the server is not there right now" (no user input in them). */
const NOT_CONNECTED = /^(Connection is closed\.|Stream isn't writeable|Operation `[\w.]+` buffering timed out|Client must be connected|Topology is closed)/;
/** Redis replies that mean "ask again shortly". */
const REDIS_BUSY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS)\b/;

/** Raised by our code for a condition that clears by itself (e.g. a lost lease write). */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

export function isTransient(error: unknown, api?: ApiCaller, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (api) {
    const kind = api.classify(error);
    if (kind === 'rate-limited' || kind === 'server' || kind === 'network') return true;
    if (kind === 'bad-request' || kind === 'forbidden') return false;
  }
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SYSTEM_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
  if (NOT_CONNECTED.test(error.message)) return true;
  if (error.name === 'ReplyError' && REDIS_BUSY.test(error.message)) return true;
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  if (labels instanceof Set ? labels.has('RetryableWriteError') : Array.isArray(labels) && labels.includes('RetryableWriteError')) return true;
  return isTransient((error as { cause?: unknown }).cause, api, depth + 1);
}
