// The playground's chats kept in a file, so a restarted (or killed) playground shows every chat as
// it was, with the buttons still pressable, as Telegram keeps a chat when the bot restarts.
// Written whole on every change (write to a temporary file, then rename): the chats of a local
// playground are small, and a rename is never seen half done, even after a SIGKILL. People type
// what they would type in Telegram (names, IINs, phone numbers), so the playground seals the file
// with its DATA_KEY (the codec).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ChatSnapshot } from './chats.js';
import type { Update } from './types.js';

const FORMAT = 1;

// Only the outline is checked: the file is this server's own, written by save() below.
const fileSchema = z.object({
  format: z.literal(FORMAT),
  chats: z.array(z.object({ key: z.string(), nextMessageId: z.number().int().positive() }).passthrough()),
  /** Updates the bot had not confirmed (a SIGKILL between sending and storing them loses none). */
  updates: z.array(z.object({ update_id: z.number().int() }).passthrough()).default([]),
});

export interface ChatsFileContent {
  chats: ChatSnapshot[];
  updates: Update[];
}

/** Turns the file's text into what is stored and back (the playground: AES-256-GCM with DATA_KEY). */
export interface ChatsCodec {
  seal(plain: string): string;
  /** Throws when the text was not sealed with this key. */
  open(sealed: string): string;
}

const PLAIN: ChatsCodec = { seal: (plain) => plain, open: (sealed) => sealed };

export type ChatsFileResult = ChatsFileContent | { chats: []; updates: []; problem: 'unreadable' };

/** The chats in the file; none when there is no file yet, and none with a problem when it is not ours. */
export function loadChats(path: string, codec: ChatsCodec = PLAIN): ChatsFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { chats: [], updates: [] };
    throw error;
  }
  try {
    const parsed = fileSchema.safeParse(JSON.parse(codec.open(text)));
    if (parsed.success) return { chats: parsed.data.chats as unknown as ChatSnapshot[], updates: parsed.data.updates as Update[] };
  } catch {
    // another key, or not JSON: handled below
  }
  return { chats: [], updates: [], problem: 'unreadable' };
}

export function saveChats(path: string, content: ChatsFileContent, codec: ChatsCodec = PLAIN): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, codec.seal(JSON.stringify({ format: FORMAT, ...content })), { mode: 0o600 });
  renameSync(temporary, path);
}
