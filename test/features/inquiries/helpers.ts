import { messagesInThread } from '../../support/group-updates.js';
import type { TestApp } from '../../support/app-harness.js';

export const STAFF_CHAT = -1001234567890;
export { sleep, until } from '../../support/until.js';

/** The citizen asks a person in English; returns the inquiry number the bot gave. */
export async function askPerson(app: TestApp, chat: number, question: string, topic = 'Rehabilitation', region = 'Almaty (city)'): Promise<string> {
  await app.say(chat, question);
  await app.tapLike(chat, 'Ask a person');
  await app.tapLike(chat, topic);
  await app.tapLike(chat, region);
  const texts = app.drain(chat);
  const sent = texts.find((t) => t.includes('has been sent'));
  const ref = sent?.match(/Q-\d{4}-\d{6}/)?.[0];
  if (!ref) throw new Error(`no inquiry number in: ${texts.join(' | ')}`);
  return ref;
}

export const threadText = (app: TestApp, threadId: number): string[] =>
  messagesInThread(app.api, STAFF_CHAT, threadId).map((m) => m.text ?? '');
