// What the page gets for a chat: both sides in order, without internals (file contents, raw markup).
import type { BotApiServer, TranscriptEntry } from '../platform/bot-api/index.js';

export interface PageMessage {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  edited?: boolean;
  /** Inline buttons row by row: label and the callback data the page sends back when pressed. */
  buttons?: Array<Array<{ text: string; data: string }>>;
  venue?: { title: string; address: string; latitude: number; longitude: number };
  location?: { latitude: number; longitude: number };
  document?: { filename: string };
  photo?: boolean;
  contact?: string;
  other?: string;
  threadId?: number;
  senderName?: string;
}

export interface PageChat {
  chatId: number;
  messages: PageMessage[];
  /** The reply keyboard in force: each button's text and whether it asks for the contact or location. */
  keyboard: Array<Array<{ text: string; request?: 'contact' | 'location' }>> | null;
  topics: Array<{ threadId: number; name: string; closed: boolean }>;
}

function pageMessage(entry: TranscriptEntry): PageMessage {
  if (entry.from === 'user') {
    return {
      id: entry.messageId,
      from: 'user',
      senderName: entry.fromName,
      ...(entry.text !== undefined ? { text: entry.text } : {}),
      ...(entry.contact ? { contact: entry.contact.phoneNumber } : {}),
      ...(entry.location ? { location: entry.location } : {}),
      ...(entry.other ? { other: entry.other } : {}),
      ...(entry.threadId !== undefined ? { threadId: entry.threadId } : {}),
    };
  }
  const buttons = entry.buttons.map((row, r) => row.map((text, c) => ({ text, data: entry.callbackData[r]?.[c] ?? '' })));
  return {
    id: entry.messageId,
    from: 'bot',
    ...(entry.text !== undefined ? { text: entry.text } : {}),
    ...(entry.kind === 'edited' ? { edited: true } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
    ...(entry.venue ? { venue: entry.venue } : {}),
    ...(entry.location && !entry.venue ? { location: entry.location } : {}),
    ...(entry.document ? { document: { filename: entry.document.filename } } : {}),
    ...(entry.photo ? { photo: true } : {}),
    ...(entry.threadId !== undefined ? { threadId: entry.threadId } : {}),
  };
}

export function pageChat(api: BotApiServer, chatId: number): PageChat {
  const keyboardMessage = api.currentKeyboardMessage(chatId);
  const keyboard =
    keyboardMessage?.keyboard?.map((row) =>
      row.map((text) => {
        const request = keyboardMessage.keyboardRequests?.[text];
        return request ? { text, request } : { text };
      }),
    ) ?? null;
  return {
    chatId,
    messages: api.transcript(chatId).map(pageMessage),
    keyboard,
    topics: api.topics(chatId).map((t) => ({ threadId: t.threadId, name: t.name, closed: t.closed })),
  };
}
