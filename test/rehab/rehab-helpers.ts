import { expect } from 'vitest';
import { onboard, type TestApp } from '../support/app-harness.js';
import { iinCheckDigit } from '../../src/domain/iin.js';

export const MENU_LABEL = { English: 'Find a rehabilitation centre', Русский: 'Найти реабилитационный центр', Қазақша: 'Оңалту орталығын табу' } as const;

/** Opens the search from the main menu. */
export async function openSearch(app: TestApp, chat: number, language: keyof typeof MENU_LABEL = 'English'): Promise<void> {
  await app.tapLike(chat, MENU_LABEL[language]);
}

/** Region (typed), who and help (typed numbers): the list that follows, as the user sees it. */
export async function searchTyped(app: TestApp, chat: number, where: string, who: string, help: string): Promise<string> {
  await app.say(chat, where);
  await app.say(chat, who);
  app.drain(chat);
  await app.say(chat, help);
  return app.drain(chat).join('\n');
}

export type SearchLanguage = keyof typeof MENU_LABEL;
/** A region typed in each language, and the questions that follow it. */
export const WHERE: Record<SearchLanguage, string> = { English: 'Astana', Русский: 'Астана', Қазақша: 'Астана' };
export const WHO: Record<SearchLanguage, string> = { English: 'Who needs help?', Русский: 'Кому нужна помощь?', Қазақша: 'Көмек кімге керек?' };
export const HELP: Record<SearchLanguage, string> = { English: 'What kind of help is needed?', Русский: 'Какая помощь нужна?', Қазақша: 'Қандай көмек керек?' };
export const CHOICE: Record<SearchLanguage, string> = { English: 'Please tap a button or type its number', Русский: 'Нажмите кнопку', Қазақша: 'Батырманы басыңыз' };

/** A new person (the chat given) at the "who needs help" question, in their language. */
export async function startAtWho(app: TestApp, chat: number, language: SearchLanguage): Promise<void> {
  await onboard(app, chat, language);
  await openSearch(app, chat, language);
  await app.say(chat, WHERE[language]);
  expect(app.last(chat).text).toContain(WHO[language]);
  app.drain(chat);
}

/**
 * At "who needs help": types the answer, checks the next question (the kind of help) came, picks
 * the first kind, and returns the group the search kept ('children' or 'adults').
 */
export async function groupTakenFor(app: TestApp, chat: number, language: SearchLanguage, answer: string): Promise<unknown> {
  await app.say(chat, answer);
  expect(app.last(chat).text, `"${answer}" is answered`).toContain(HELP[language]);
  await app.say(chat, '1');
  const search = (await app.bot.sessions.peek(chat))?.data?.rehab as { who?: unknown } | undefined;
  return search?.who;
}

/** The bot's clock for "who needs help" tests: on 1 March someone born in 2007 is most likely still 17, a child. */
export const WHO_CLOCK = new Date('2025-03-01T06:00:00Z');
/** An IIN with the right check digit after these eleven digits. */
const validIin = (first11: string): string => `${first11}${String(iinCheckDigit(first11))}`;
/** A boy born on 12 May 2015, and a man born on 1 January 1980. */
export const BOY_IIN = validIin('15051250001');
export const MAN_IIN = validIin('80010130012');
