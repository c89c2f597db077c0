// Kazakh puts the verb last: «Барлық деректерімді жою» (delete all my data), «Рұқсатты қайтарып
// алу» (revoke access), «Жауаптарымды өзгерту» (change my answers). Before, the verb typed alone
// was asked again, while «удалить» and "delete" picked the button. Now a word of a button's Kazakh
// text names it when no other button on the screen has it, in Cyrillic or Latin letters, and the
// destructive ones still stop at their confirmation, where only a yes («иә») confirms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { addVolunteer } from '../volunteer/helpers.js';

const ADMIN = 7100;
const CHOOSE = 'Батырманы басыңыз немесе оның нөмірін';

describe('a Kazakh button answered by its last word', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('kk_key_words', { adminIds: [ADMIN] });
    await onboard(app, ADMIN, 'Қазақша');
  }, 60_000);
  afterAll(async () => app?.close());

  const said = (chat: number) => app.drain(chat).join('\n');

  it.each([
    { script: 'Cyrillic', chat: 7201, verb: 'жою', yes: 'иә' },
    { script: 'Latin', chat: 7202, verb: 'joyu', yes: 'ia' },
  ])('deletes my data after «$verb» and the confirmation, never by the verb twice ($script)', async ({ chat, verb, yes }) => {
    await onboard(app, chat, 'Қазақша');
    // The main menu by its entry's last word: «Менің деректерім».
    await app.say(chat, 'деректерім');
    expect(app.last(chat).buttons.flat()).toContain('1. Барлық деректерімді жою');
    app.drain(chat);
    await app.say(chat, verb);
    expect(said(chat)).toContain('Барлығын жоясыз ба?');
    // The verb again at "Delete everything?" is no yes: asked again, nothing deleted.
    await app.say(chat, verb);
    expect(said(chat)).toContain(CHOOSE);
    expect(await app.bot.services.users.get(chat)).not.toBeNull();
    await app.say(chat, yes);
    expect(said(chat)).toContain('Деректеріңіз жойылды');
    expect(await app.bot.services.users.get(chat)).toBeNull();
  });

  it.each([
    { script: 'Cyrillic', member: 7301, verb: 'қайтарып алу', no: 'жоқ' },
    { script: 'Latin', member: 7302, verb: 'qaytaryp alu', no: 'joq' },
  ])('a staff member’s access is revoked only through its confirmation ($script)', async ({ member, verb, no }) => {
    const invite = await app.bot.services.staff.createInvite(ADMIN, { role: 'operator', regions: null });
    await onboard(app, member, 'Қазақша');
    await app.command(member, 'start', `inv_${invite!.token}`);
    expect(await app.bot.services.access.get(member)).not.toBeNull();

    await app.command(ADMIN, 'menu');
    await app.tapLike(ADMIN, 'Қызметкерлер үшін');
    await app.tapLike(ADMIN, 'Қызметкерлер, рөлдер');
    await app.tapLike(ADMIN, `№ ${member}`);
    app.drain(ADMIN);
    // «өзгерту» is in three buttons (role, regions, topics): it names none of them.
    await app.say(ADMIN, 'өзгерту');
    expect(said(ADMIN)).toContain(CHOOSE);
    await app.say(ADMIN, verb);
    expect(said(ADMIN)).toContain(`№ ${member} қызметкердің рұқсатын қайтарып аласыз ба?`);
    await app.say(ADMIN, verb);
    expect(said(ADMIN)).toContain(CHOOSE);
    await app.say(ADMIN, no);
    expect(said(ADMIN)).toContain('Рұқсат өзгертілмеді.');
    expect(await app.bot.services.access.get(member)).not.toBeNull();
  });

  it.each([
    { script: 'Cyrillic', chat: 7401, edit: 'өзгерту', leave: 'шығамын', no: 'жоқ' },
    { script: 'Latin', chat: 7402, edit: 'ozgertu', leave: 'shygu', no: 'joq' },
  ])('the volunteer page: change my answers, and leaving asks first ($script)', async ({ chat, edit, leave, no }) => {
    await onboard(app, chat, 'Қазақша');
    await addVolunteer(app, chat, 'kk', { region: 'atyrau' });
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Волонтер болу');
    app.drain(chat);
    await app.say(chat, edit);
    expect(said(chat)).toContain('Қай жауапты өзгерткіңіз келеді?');

    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Волонтер болу');
    app.drain(chat);
    await app.say(chat, leave);
    expect(said(chat)).toContain('Волонтерлер тізімінен шығасыз ба?');
    await app.say(chat, no);
    expect(await app.bot.services.volunteers.get(chat)).not.toBeNull();
  });
});
