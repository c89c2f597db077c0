import type { TestApp } from '../support/app-harness.js';

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
