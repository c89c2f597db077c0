// An option's number is typed in more ways than "2": a keycap emoji from the phone's emoji
// keyboard ("2️⃣"), "№2", "#2", "(2)". Each names the second option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('an option\'s number typed with a sign or as an emoji', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_number_forms', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  it.each([
    { chat: 7961, typed: '2️⃣' },
    { chat: 7962, typed: '№2' },
    { chat: 7963, typed: '#2' },
    { chat: 7964, typed: '(2)' },
    { chat: 7965, typed: '№ 2' },
  ])('"$typed" picks the microloan', async ({ chat, typed }) => {
    await onboard(app, chat, 'Русский');
    await openApplication(app, chat);
    await app.say(chat, typed);
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.type).toBe('microloan');
  });

  it('"№9" of two options is still refused', async () => {
    const chat = 7966;
    await onboard(app, chat);
    await openApplication(app, chat);
    app.drain(chat);
    await app.say(chat, '№9');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.type).toBeUndefined();
  });
});
