// What a person does on the playground page, with the mouse (and typing) or with the keyboard alone.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SHOTS } from './playground-process.js';

export const botMessages = (page: Page): Locator => page.locator('#log li.msg.bot');

/** Waits until a bot message containing `text` is on screen and returns it. */
export async function seeBot(page: Page, text: string | RegExp, timeout = 30_000): Promise<Locator> {
  const message = botMessages(page).filter({ hasText: text }).last();
  await message.waitFor({ state: 'visible', timeout });
  return message;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

// --- mouse and typing --------------------------------------------------------------------------

export async function type(page: Page, text: string): Promise<void> {
  const box = page.getByLabel(/^(Message|Сообщение|Хабар)$/);
  await box.fill(text);
  await box.press('Enter');
  // The page empties the box once it has taken the message. Polled from here, not with a string
  // predicate in the page: the page's Content-Security-Policy (rightly) refuses to eval strings.
  // The page empties it in the same event that sends, so a box still full means nothing was sent:
  // an Enter lost while the keyboard below was being redrawn (seen under CI load) is pressed
  // again, which cannot send the message twice.
  const deadline = Date.now() + 15_000;
  let again = Date.now() + 2_000;
  while ((await box.inputValue()) !== '') {
    if (Date.now() > deadline) throw new Error(`the message box still holds "${await box.inputValue()}"`);
    if (Date.now() > again) {
      await box.press('Enter');
      again = Date.now() + 2_000;
    }
    await page.waitForTimeout(25);
  }
}

/** Clicks the newest button whose text contains `label` (inline keyboards and the reply keyboard). */
export async function click(page: Page, label: string | RegExp): Promise<void> {
  await page.locator('#log button, #keyboard button').filter({ hasText: label }).last().click();
}

// --- keyboard only -----------------------------------------------------------------------------

/**
 * Presses Tab (or Shift+Tab) until the focused element matches; fails after `max` presses.
 * Shift is held down through a run of Shift+Tab, as a person does: one key event per step
 * instead of three (a long run back through the chat is a hundred steps or more).
 */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; id: string; label: string }) => boolean, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 120): Promise<void> {
  const shift = key === 'Shift+Tab';
  if (shift) await page.keyboard.down('Shift');
  try {
    for (let i = 0; i < max; i++) {
      // (Strings run in the page, which has a DOM; this file is type-checked without one.)
      const el = await page.evaluate<{ tag: string; text: string; id: string; label: string }>(`(() => {
        const a = document.activeElement;
        return { tag: a?.tagName ?? '', text: (a?.textContent ?? '').trim(), id: a?.id ?? '', label: a?.getAttribute('aria-label') ?? '' };
      })()`);
      if (matches(el)) return;
      await page.keyboard.press('Tab');
    }
  } finally {
    if (shift) await page.keyboard.up('Shift');
  }
  throw new Error(`tabTo: nothing matching within ${max} presses of ${key}`);
}

export const isButton = (text: string | RegExp) => (el: { tag: string; text: string }) =>
  el.tag === 'BUTTON' && (typeof text === 'string' ? el.text.includes(text) : text.test(el.text));

/** Goes to the message box with Tab and types, then Enter. */
export async function typeByKeyboard(page: Page, text: string): Promise<void> {
  await tabTo(page, (el) => el.id === 'composer-input');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The newest button with this text, reached with Shift+Tab from the message box, pressed with Enter. */
export async function pressByKeyboard(page: Page, text: string | RegExp): Promise<void> {
  await tabTo(page, (el) => el.id === 'composer-input');
  await tabTo(page, isButton(text), 'Shift+Tab');
  await page.keyboard.press('Enter');
}

/** The focused element is a bot message (focus moved to the answer). */
export async function focusIsOnBotMessage(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const a = document.activeElement;
    return a?.matches('li.msg.bot') ? (a.textContent ?? '') : 'not a bot message: ' + a?.tagName + ' ' + a?.textContent?.slice(0, 60);
  })()`);
}
