// The playground in a real browser (Debian's chromium): a newcomer's first session, from /start
// to accepting a mission published by staff in another persona, as a person sees it.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { missionStart, startPlaygroundWithBrowser, type Playground } from './playground-process.js';
import { botMessages, click, seeBot, shot, type } from './page-steps.js';

describe('playground page with the mouse', () => {
  let pg: Playground;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    ({ pg, browser, page } = await startPlaygroundWithBrowser('browser_mouse', { width: 1000, height: 900 }));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await pg?.stop();
  });

  it('says which mode and where the page is in its first lines', () => {
    const lines = pg.output().split('\n');
    expect(lines[0]).toContain('playground (no BOT_TOKEN)');
    expect(lines[0]).toContain('not to Telegram');
    expect(lines[1]).toMatch(/^Starting at http:\/\/127\.0\.0\.1:\d+\/ \.\.\.$/);
  });

  it('a volunteer picks English, finds a centre by location and signs up; staff publish a mission; the volunteer accepts it', async () => {
    onTestFailed(async () => {
      await shot(page, 'failure-mouse');
    });
    await page.goto(`${pg.url}#volunteer`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getByRole('button', { name: /Dana/ }).getAttribute('aria-pressed')).toBe('true');
    await type(page, '/start');
    await seeBot(page, 'Please choose a language');
    await shot(page, '01-start');
    await click(page, 'English');
    const menu = await seeBot(page, 'Main menu. What would you like to do?');
    // The user's own messages are in the chat too, in order.
    expect(await page.locator('#log li.msg.user').first().textContent()).toContain('/start');
    expect(await menu.getByRole('button').allTextContents()).toContain('1. Find a rehabilitation centre');

    // Find a centre by sharing a location: the reply keyboard's "Share location" opens the map.
    await click(page, 'Find a rehabilitation centre');
    await seeBot(page, 'Where should I look?');
    await click(page, 'Share location');
    const map = page.locator('#map-holder svg');
    await map.waitFor();
    // A click on the map near Karaganda fills in the coordinates; then send them.
    await map.scrollIntoViewIfNeeded();
    await shot(page, '02-share-location');
    const box = (await map.boundingBox())!;
    const at = (lat: number, lon: number) => ({ x: box.x + ((lon - 46) * 6.7 * box.width) / 281, y: box.y + ((56 - lat) * 10 * box.height) / 160 });
    await page.mouse.click(at(49.8, 73.1).x, at(49.8, 73.1).y);
    const lat = Number(await page.getByLabel('Latitude').inputValue());
    const lon = Number(await page.getByLabel('Longitude').inputValue());
    expect(Math.abs(lat - 49.8)).toBeLessThan(0.3);
    expect(Math.abs(lon - 73.1)).toBeLessThan(0.3);
    await page.getByRole('button', { name: 'Send this location' }).click();
    await seeBot(page, 'Who needs help?');
    expect(await page.locator('#log li.msg.user').last().textContent()).toContain('Shared location:');
    await click(page, 'A child (under 18)');
    await seeBot(page, 'What kind of help is needed?');
    await click(page, /^1\. Rehabilitation$/);
    const list = await seeBot(page, 'the nearest to you first');
    expect(await list.textContent()).toContain('Karaganda regional rehabilitation centre for children');
    await click(page, /^1\. Sample: Karaganda/);
    // The venue card: name, address and coordinates, then the centre's details.
    const venue = page.locator('#log li.msg.bot .venue').last();
    await venue.waitFor();
    expect(await venue.textContent()).toContain('Karaganda, 82 Demo Avenue');
    await seeBot(page, 'Hours:');
    await shot(page, '03-centre');

    // Sign up as a volunteer, sharing the phone number with the keyboard button.
    await type(page, '/menu');
    await seeBot(page, 'Main menu');
    await click(page, 'Become a volunteer');
    await seeBot(page, 'What is your full name?');
    await type(page, 'Dana Serikova');
    await type(page, '25');
    await seeBot(page, /phone/i);
    await click(page, /phone/i);
    expect(await page.locator('#log li.msg.user').filter({ hasText: 'Shared phone number' }).last().textContent()).toContain('+77011000004');
    await type(page, 'Karaganda');
    await type(page, '3, 4');
    await type(page, '3');
    await type(page, '1, 2');
    await seeBot(page, '94-V');
    await click(page, 'I agree');
    const summary = await seeBot(page, 'Dana Serikova');
    expect(await summary.textContent()).toContain('+7 701 100 00 04');
    await click(page, 'Join the volunteer list');
    await seeBot(page, 'Thank you, Dana!');
    await shot(page, '04-volunteer');

    // Staff, in their own chat: publish a mission in Karaganda for people in need.
    await page.getByRole('button', { name: /Marat/ }).click();
    await page.getByRole('heading', { name: 'Chat with Komek as Marat' }).waitFor();
    expect(await botMessages(page).count()).toBe(0);
    await type(page, '/start');
    await click(page, 'English');
    await seeBot(page, 'Main menu');
    await click(page, 'Staff');
    await click(page, 'Publish a volunteer mission');
    await type(page, 'Charity fair');
    await type(page, 'Help visitors of the fair find their way.');
    await type(page, '3');
    await type(page, 'Karaganda');
    await type(page, 'Central park, main gate');
    await click(page, 'Skip');
    await type(page, missionStart());
    await type(page, '4');
    await type(page, '10');
    await click(page, 'Done');
    await seeBot(page, 'aged 14 to 17');
    await type(page, '1');
    const preview = await seeBot(page, '1 volunteer matches it');
    expect(await preview.textContent()).toContain('Charity fair');
    await click(page, 'Publish and invite');
    await seeBot(page, '1 volunteer is being invited');
    await shot(page, '05-staff-published');

    // Back to the volunteer: the invitation arrived through the delivery queue; accept it.
    await page.getByRole('button', { name: /Dana/ }).click();
    const invitation = await seeBot(page, 'A volunteer mission needs help', 60_000);
    expect(await invitation.textContent()).toContain('Charity fair');
    await invitation.getByRole('button', { name: /Yes, I will help/ }).click();
    await seeBot(page, 'You are on the team');
    await shot(page, '06-volunteer-accepted');
  }, 300_000);
});
