// What a person on the page can do, checked like Telegram's own app would allow it: type text,
// share the phone number or a location, or press a button that is really on a message.
import { z } from 'zod';
import type { BotApiServer, Update } from '../platform/bot-api/index.js';
import type { Persona } from './personas.js';

const action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().trim().min(1).max(4096) }),
  z.object({ type: z.literal('contact') }),
  z.object({ type: z.literal('location'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  z.object({ type: z.literal('callback'), messageId: z.number().int().positive(), data: z.string().min(1).max(64) }),
]);

export const sendRequest = z.object({
  persona: z.string().max(40),
  /** 'group' writes in the staff group (as the persona), otherwise the persona's private chat. */
  chat: z.enum(['private', 'group']).default('private'),
  threadId: z.number().int().positive().optional(),
  action,
});

export type SendRequest = z.infer<typeof sendRequest>;

export class ActionError extends Error {}

export function performAction(api: BotApiServer, persona: Persona, staffChatId: number, request: SendRequest): Update {
  const inGroup = request.chat === 'group';
  const chatId = inGroup ? staffChatId : persona.userId;
  const opts = {
    firstName: persona.firstName,
    languageCode: persona.languageCode,
    userId: persona.userId,
    ...(inGroup && request.threadId !== undefined ? { threadId: request.threadId } : {}),
  };
  const a = request.action;
  switch (a.type) {
    case 'text': {
      const command = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(a.text);
      return command ? api.command(chatId, command[1]!, command[2], opts) : api.text(chatId, a.text, opts);
    }
    case 'contact':
      // Telegram only lets a person share their own number, from a keyboard that asked for it.
      return api.contact(chatId, persona.phone, opts);
    case 'location':
      return api.location(chatId, a.latitude, a.longitude, opts);
    case 'callback': {
      // Telegram only sends callback data that is on the message's buttons now.
      const message = api.visibleMessages(chatId).find((m) => m.messageId === a.messageId);
      if (!message || !message.callbackData.some((row) => row.includes(a.data))) {
        throw new ActionError('That button is no longer on the message.');
      }
      return api.callback(chatId, a.data, a.messageId, opts);
    }
  }
}
