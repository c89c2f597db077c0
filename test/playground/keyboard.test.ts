// The same first session with the keyboard alone, on a phone-sized screen: Tab and Shift+Tab to
// reach things, Enter to press and send. After a button press the focus is on the bot's answer.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { missionStart, startPlaygroundWithBrowser, type Playground } from './playground-process.js';
import { focusIsOnBotMessage, isButton, pressByKeyboard, seeBot, shot, tabTo, typeByKeyboard } from './page-steps.js';

describe('playground page with the keyboard only', () => {
  let pg: Playground;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    ({ pg, browser, page } = await startPlaygroundWithBrowser('browser_keys', { width: 390, height: 844 }));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await pg?.stop();
  });

  /**
   * Switches persona from the message box, then Enter. 'back': Shift+Tab up through the whole
   * chat to the persona's button (every button of the history on the way, a hundred steps or more
   * late in the test: done once, so the chat is shown to have no focus trap going back). 'round':
   * Tab on past the Send button, off the page's end and round to its top, as a browser's Tab
   * goes: a handful of steps to the same buttons.
   */
  async function become(name: string, route: 'back' | 'round'): Promise<void> {
    await tabTo(page, (el) => el.id === 'composer-input');
    const persona = (el: { tag: string; text: string }) => el.tag === 'BUTTON' && el.text.startsWith(name);
    if (route === 'back') await tabTo(page, persona, 'Shift+Tab', 600);
    else await tabTo(page, persona, 'Tab', 20);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Chat with Komek as ${name}` }).waitFor();
  }

  /** Types an answer and waits for the bot's next message containing `expect`. */
  async function answer(text: string, next: string | RegExp): Promise<void> {
    await typeByKeyboard(page, text);
    await seeBot(page, next);
  }

  it('signs up, publishes a mission as staff and accepts it, without a mouse', async () => {
    onTestFailed(async () => {
      await shot(page, 'failure-keyboard');
    });
    await page.goto(pg.url);
    await page.waitForSelector('body[data-ready="true"]');
    // The first Tab reaches the skip link, which leads straight to the message box.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to the message box');
    await become('Dana', 'back');

    await answer('/start', 'Please choose a language');
    await pressByKeyboard(page, 'English');
    await seeBot(page, 'Main menu. What would you like to do?');
    // Incoming messages are read out: the polite live region holds the bot's new texts.
    const announcer = page.locator('#announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => announcer.textContent()).toContain('Main menu. What would you like to do?');
    // The focus moved to the bot's first answer, so Tab goes on from there.
    expect(await focusIsOnBotMessage(page)).toContain('The language is now English.');
    await shot(page, 'k01-language');

    await pressByKeyboard(page, 'Find a rehabilitation centre');
    await seeBot(page, 'Where should I look?');
    expect(await focusIsOnBotMessage(page)).toContain('Where should I look?');
    // "Share location" on the reply keyboard opens the location form; typed coordinates near Karaganda.
    await pressByKeyboard(page, 'Share location');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('location-heading');
    await tabTo(page, (el) => el.id === 'lat');
    await page.keyboard.type('95');
    await page.keyboard.press('Tab');
    await page.keyboard.type('73.1');
    await page.keyboard.press('Enter');
    // A latitude out of range is turned down on the page, with the focus back on the field.
    expect(await page.getByRole('alert').filter({ hasText: 'Type a latitude from -90 to 90' }).count()).toBe(1);
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('lat');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('49.8');
    await page.keyboard.press('Enter');
    await seeBot(page, 'Who needs help?');
    await shot(page, 'k02-location');
    await pressByKeyboard(page, 'A child (under 18)');
    await seeBot(page, 'What kind of help is needed?');
    await pressByKeyboard(page, /^1\. Rehabilitation$/);
    await seeBot(page, 'the nearest to you first');
    await pressByKeyboard(page, /^1\. Sample: Karaganda/);
    await seeBot(page, 'Hours:');
    expect(await focusIsOnBotMessage(page)).toContain('Karaganda, 82 Demo Avenue');
    await shot(page, 'k03-centre');

    await answer('/menu', 'Main menu');
    await pressByKeyboard(page, 'Become a volunteer');
    await seeBot(page, 'What is your full name?');
    await answer('Dana Serikova', 'How old are you');
    await answer('25', /phone/i);
    await pressByKeyboard(page, /phone/i);
    await seeBot(page, 'Step 4 of 9');
    await answer('Karaganda', 'Step 5 of 9');
    await answer('3, 4', 'Step 6 of 9');
    await answer('3', 'Step 7 of 9');
    await answer('1, 2', '94-V');
    await pressByKeyboard(page, 'I agree');
    await seeBot(page, 'Please check your answers');
    await pressByKeyboard(page, 'Join the volunteer list');
    await seeBot(page, 'Thank you, Dana!');
    await shot(page, 'k04-volunteer');

    await become('Marat', 'back');
    await answer('/start', 'Please choose a language');
    await pressByKeyboard(page, 'English');
    await seeBot(page, 'Main menu');
    await pressByKeyboard(page, /^\d+\. Staff$/);
    await pressByKeyboard(page, 'Publish a volunteer mission');
    await seeBot(page, /title/i);
    await answer('Tree planting', /describe|description/i);
    await answer('Plant trees along the river with the neighbours.', /area/i);
    await answer('3', /region/i);
    await answer('Karaganda', /place|where/i);
    await answer('River embankment, north end', /map|location/i);
    await pressByKeyboard(page, 'Skip');
    await seeBot(page, /start|date/i);
    await answer(missionStart(), /hours|long/i);
    await answer('3', /how many|volunteers/i);
    await answer('5', /skills/i);
    await pressByKeyboard(page, 'Done');
    await seeBot(page, 'aged 14 to 17');
    await answer('1', '1 volunteer matches it');
    await pressByKeyboard(page, 'Publish and invite');
    await seeBot(page, '1 volunteer is being invited');
    await shot(page, 'k05-staff');

    await become('Dana', 'round');
    await seeBot(page, 'A volunteer mission needs help', 60_000);
    // From the persona's button to the message box by the skip link, one step up, not by a
    // hundred-odd Tabs through the chat (the small steps through it are taken all along).
    await tabTo(page, (el) => el.id === 'skip', 'Shift+Tab', 20);
    await page.keyboard.press('Enter');
    await tabTo(page, (el) => el.id === 'composer-input', 'Tab', 1);
    await tabTo(page, isButton('Yes, I will help'), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await seeBot(page, 'You are on the team');
    // The toast from the bot's answer to the press is shown and read out.
    await page.getByRole('status').filter({ hasText: 'You are on the team' }).waitFor();
    await shot(page, 'k06-accepted');
    // Nothing is wider than the phone's screen: no sideways scrolling.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  }, 300_000);
});
