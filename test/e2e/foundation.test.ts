import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { registerCommands } from '../../src/telegram/commands.js';
import { userModel } from '../../src/db/models/user.js';
import { replyToCalls } from '../../src/telegram/reply-to-calls.js';

const ADMIN = 500;

describe.each(['grammy', 'telegraf'] as const)('foundation end to end on %s', (framework) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(`found_${framework}`, { framework, adminIds: [ADMIN] });
  });
  afterAll(async () => app?.close());

  it('greets in the Telegram language, pre-selects it, and shows the menu in the chosen one', async () => {
    await app.command(10, 'start', undefined, 'kk');
    const greeting = app.last(10);
    expect(greeting.text).toContain('Сәлеметсіз бе');
    expect(greeting.buttons.flat()).toEqual(['✓ 1. Қазақша', '2. Русский', '3. English']);
    // The tick marks the language for the eye; the text says it for the ear.
    expect(greeting.text).toContain('Қазіргі тіл: Қазақша.');
    await app.tap(10, '2. Русский');
    const texts = app.drain(10);
    expect(texts).toContain('Теперь я говорю по-русски.');
    expect(texts.at(-1)).toContain('Главное меню');
    expect(app.last(10).buttons.flat().some((b) => b.endsWith('. Помощь'))).toBe(true);
  });

  it('accepts the language typed instead of tapped, and treats a first message as /start', async () => {
    await app.say(11, 'hello', 'en');
    expect(app.last(11).text).toContain('Please choose a language');
    await app.say(11, 'english');
    expect(app.drain(11).at(-1)).toContain('Main menu');
  });

  it('opens menu entries by typed number or label and answers /help and /menu', async () => {
    await onboard(app, 12);
    await app.say(12, 'help');
    expect(app.drain(12)[0]).toContain('How to use Komek');
    await app.command(12, 'menu');
    expect(app.drain(12).at(-1)).toContain('Main menu');
    await app.command(12, 'nonsense');
    expect(app.drain(12)[0]).toBe('I do not know this command.');
  });

  it('changes the language in the middle of a scene and asks the same question again', async () => {
    await onboard(app, 13);
    await app.command(13, 'mydata');
    expect(app.last(13).text).toContain('everything Komek holds about you');
    await app.command(13, 'language');
    await app.tap(13, '1. Қазақша');
    const texts = app.drain(13);
    expect(texts).toContain('Енді мен қазақ тілінде сөйлеймін.');
    expect(texts.at(-1)).toContain('«Көмек» боты сіз туралы сақтайтын барлық мәлімет');
    // The Back / Cancel buttons work by typed word in the new language.
    await app.say(13, 'Бас тарту');
    expect(app.drain(13)[0]).toContain('Толтыру тоқтатылды');
  });

  it('answers stickers, photos, voice, documents, long texts and commands mid-scene with the same question', async () => {
    await onboard(app, 14);
    await app.send(app.api.sticker(14, { enqueue: false }));
    expect(app.drain(14)[0]).toContain('cannot read stickers');
    await app.command(14, 'mydata');
    app.drain(14);
    for (const update of [app.api.photo(14, { enqueue: false }), app.api.document(14, { enqueue: false })]) {
      await app.send(update);
      const texts = app.drain(14);
      expect(texts[0]).toContain('cannot read stickers, photos');
      expect(texts[1]).toContain('everything Komek holds about you');
    }
    // A voice message is told in its own words (the bot cannot listen), with the same question.
    await app.send(app.api.voice(14, { enqueue: false }));
    const heard = app.drain(14);
    expect(heard[0]).toContain('cannot listen to voice messages');
    expect(heard[1]).toContain('everything Komek holds about you');
    await app.say(14, 'x'.repeat(5000));
    expect(app.drain(14)[0]).toContain('too long');
    await app.command(14, 'myhours');
    const texts = app.drain(14);
    expect(texts[0]).toContain('You are in the middle of a form');
    expect(texts[1]).toContain('everything Komek holds about you');
    // Help explains Back and Cancel: shown in the form, with the same question after it.
    await app.command(14, 'help');
    const help = app.drain(14);
    expect(help[0]).toContain('How to use Komek');
    expect(help[1]).toContain('everything Komek holds about you');
  });

  it('shows My data and deletes it after a confirmation', async () => {
    await onboard(app, 15);
    const users = userModel(app.mongo);
    expect(await users.exists({ telegramId: 15 })).not.toBeNull();
    await app.tapLike(15, 'My data');
    const overview = app.last(15).text!;
    expect(overview).toContain('Telegram id 15');
    expect(overview).toContain('language English');
    await app.tapLike(15, 'Delete all my data');
    expect(app.last(15).text).toContain('It cannot be undone');
    await app.tapLike(15, 'No, keep');
    expect(app.drain(15)).toContain('Nothing was deleted.');
    expect(await users.exists({ telegramId: 15 })).not.toBeNull();
    await app.say(15, 'my data');
    await app.say(15, '1');
    await app.say(15, 'Yes, delete everything');
    expect(app.drain(15).join('\n')).toContain('your data has been deleted');
    expect(await users.exists({ telegramId: 15 })).toBeNull();
    expect(await app.bot.sessions.peek(15)).toBeNull();
  });

  it('turns announcements off and on from My data', async () => {
    await onboard(app, 16);
    await app.command(16, 'mydata');
    await app.tapLike(16, 'Turn announcements off');
    expect(app.drain(16).join('\n')).toContain('Announcements are off');
    expect((await app.bot.services.users.get(16))?.announcements).toBe(false);
    await app.command(16, 'mydata');
    await app.tapLike(16, 'Turn announcements on');
    expect((await app.bot.services.users.get(16))?.announcements).toBe(true);
  });

  it('lets an admin invite staff with a one-time link, list them and revoke them', async () => {
    await onboard(app, ADMIN);
    expect(app.last(ADMIN).buttons.flat().some((b) => b.includes('Staff'))).toBe(true);
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Invite a staff member');
    // The link carries a role and the regions it covers.
    await app.tapLike(ADMIN, 'Reviewer of grant applications');
    await app.tapLike(ADMIN, 'All regions');
    await app.tapLike(ADMIN, 'Done');
    const link = app.drain(ADMIN).find((t) => t.includes('?start='))!;
    const token = link.match(/\?start=(inv_[\w-]+)/)![1]!;

    await app.command(17, 'start', token, 'en');
    expect(app.drain(17).join('\n')).toContain('You now have staff access');
    await app.command(17, 'menu');
    expect(app.last(17).buttons.flat().some((b) => b.includes('Staff'))).toBe(true);
    // The link works once.
    await app.command(18, 'start', token, 'en');
    expect(app.drain(18).join('\n')).toContain('This invite link does not work');
    await app.command(19, 'start', 'inv_forged-token-123', 'en');
    expect(app.drain(19).join('\n')).toContain('This invite link does not work');

    await app.command(ADMIN, 'menu');
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Staff, roles and regions');
    expect(app.last(ADMIN).text).toContain('1 staff member');
    await app.tapLike(ADMIN, 'id 17');
    expect(app.last(ADMIN).text).toContain('Reviewer of grant applications · regions: All regions');
    await app.tapLike(ADMIN, 'Withdraw access');
    await app.tapLike(ADMIN, 'Yes, withdraw access');
    expect(app.drain(ADMIN).join('\n')).toContain('Staff access of id 17 is withdrawn');
    await app.command(17, 'menu');
    expect(app.last(17).buttons.flat().some((b) => b.includes('Staff'))).toBe(false);

    const actions = (await app.bot.services.audit.recent(10)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.invite.create', 'staff.invite.redeem', 'staff.revoke']));
  });

  it('keeps staff screens from citizens', async () => {
    await onboard(app, 20);
    await app.send(app.api.callback(20, 'm:staff-invite', undefined, { enqueue: false }));
    expect(app.drain(20).join('\n')).toContain('You do not have access to this.');
    expect(await app.bot.services.staff.list()).toEqual([]);
  });

  it('marks users blocked and unblocked from my_chat_member', async () => {
    await onboard(app, 21);
    await app.send(app.api.myChatMember(21, 'kicked', { enqueue: false }));
    expect((await app.bot.services.users.get(21))?.blocked).toBe(true);
    await app.send(app.api.myChatMember(21, 'member', { enqueue: false }));
    expect((await app.bot.services.users.get(21))?.blocked).toBe(false);
  });

  it('handles a repeated update only once', async () => {
    await onboard(app, 22);
    const update = app.api.text(22, 'help', { enqueue: false });
    await app.send(update);
    await app.send(update);
    expect(app.drain(22).filter((t) => t.includes('How to use Komek'))).toHaveLength(1);
  });

  it('uploads files (staff exports) through the runtime', async () => {
    const [call] = replyToCalls(23, { kind: 'text', text: '' }, [{ kind: 'document', filename: 'export.csv', content: 'ref,name\r\nKMK-1,Әлия\r\n', caption: 'Export' }]);
    await app.bot.runtime.api.call(call!.method, call!.payload);
    const sent = app.api.messagesTo(23).at(-1)!;
    expect(sent.text).toBe('Export');
    expect(sent.document).toEqual({ filename: 'export.csv', content: 'ref,name\r\nKMK-1,Әлия\r\n' });
  });

  it('registers the command list in each language', async () => {
    await registerCommands(app.bot.runtime.api, app.bot.registry, app.bot.i18n, 'kk');
    const calls = app.api.callsOf('setMyCommands');
    const byLanguage = Object.fromEntries(calls.map((c) => [String(c.payload.language_code ?? 'default'), c.payload.commands as Array<{ command: string; description: string }>]));
    expect(byLanguage.ru?.find((c) => c.command === 'language')?.description).toBe('Сменить язык');
    expect(byLanguage.kk?.find((c) => c.command === 'menu')?.description).toBe('Басты мәзір');
    expect(byLanguage.en?.find((c) => c.command === 'mydata')?.description).toBe('See or delete my data');
    expect(byLanguage.default).toEqual(byLanguage.kk);
  });
});
