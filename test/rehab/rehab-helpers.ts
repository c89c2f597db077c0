import { expect } from 'vitest';
import { onboard, type TestApp } from '../support/app-harness.js';

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
