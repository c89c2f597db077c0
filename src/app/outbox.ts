import type { DataCipher } from '../security/crypto.js';
import type { Input, Reply } from '../telegram/types.js';
import { replyToCalls, type ApiCall } from '../telegram/reply-to-calls.js';

/**
 * The replies of one handled update, committed together with the session before anything is
 * sent ("commit before send"). Sealed, because replies hold what the user typed back to them.
 * After a crash the next worker finds it and sends it, so a Submit is never answered by silence.
 */
export interface Outbox {
  /** The update it answers. */
  u: number;
  chat: number;
  /** The user, to mark them blocked when Telegram says so. */
  uid: number;
  /** The callback query to answer, for a tapped button. */
  q?: string;
  r: Reply[];
}

export function outboxFor(updateId: number, chatId: number, userId: number, input: Input, replies: Reply[]): Outbox | null {
  if (replies.length === 0 && input.kind !== 'callback') return null;
  return { u: updateId, chat: chatId, uid: userId, ...(input.kind === 'callback' ? { q: input.queryId } : {}), r: replies };
}

export function sealOutbox(cipher: DataCipher, outbox: Outbox | null): string {
  return outbox ? cipher.encrypt(JSON.stringify(outbox)) : '';
}

export function openOutbox(cipher: DataCipher, sealed: string): Outbox | null {
  if (!sealed) return null;
  try {
    return JSON.parse(cipher.decrypt(sealed)) as Outbox;
  } catch {
    return null;
  }
}

export function outboxCalls(outbox: Outbox): ApiCall[] {
  const input: Input = outbox.q ? { kind: 'callback', queryId: outbox.q, data: '' } : { kind: 'text', text: '' };
  return replyToCalls(outbox.chat, input, outbox.r);
}
