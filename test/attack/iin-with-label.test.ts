// An IIN is often pasted as it is written on a document or in an eGov message: "ИИН: 900515300127",
// "ЖСН 900515300127", with a minus sign between the groups. The twelve digits are the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication } from '../grant/helpers.js';

describe('an IIN with its name before it', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_iin_label', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  it.each([
    { chat: 7971, language: 'Русский', typed: `ИИН: ${IIN.adultA}` },
    { chat: 7972, language: 'Қазақша', typed: `ЖСН ${IIN.adultA}` },
    { chat: 7973, language: 'English', typed: `IIN ${IIN.adultA}` },
    { chat: 7974, language: 'Русский', typed: `мой ИИН ${IIN.adultA.slice(0, 6)}\u2212${IIN.adultA.slice(6)}` },
  ] as const)('"$typed" ($language)', async ({ chat, language, typed }) => {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    await app.say(chat, typed);
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.iin).toBe(IIN.adultA);
    await app.command(chat, 'cancel');
  });

  it('other words with the digits are still refused with the format message', async () => {
    const chat = 7975;
    await onboard(app, chat);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    app.drain(chat);
    await app.say(chat, `phone ${IIN.adultA}`);
    expect(app.drain(chat).join('\n')).toContain('exactly 12 digits');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.iin).toBeUndefined();
  });
});
