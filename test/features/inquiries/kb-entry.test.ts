// A knowledge base entry made from an answered question: a short staff form with the masked texts
// offered, checked for IINs and phone numbers, and published only on Publish, once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../../support/app-harness.js';
import { auditOf } from '../../access/helpers.js';
import { relayToCitizen } from '../../../src/features/inquiries/relay.js';
import { iq } from '../../../src/features/inquiries/callbacks.js';
import { exportFaq, importFaq } from '../../../src/features/inquiries/faq-io.js';
import { BUTTON_MAX } from '../../../src/engine/options.js';
import { askPerson } from './helpers.js';
import { engineContext, SceneDriver } from '../../engine/engine-harness.js';
import { kbEntryScene } from '../../../scenes/inquiries/kb-entry.js';
import { startUpLocks } from '../../support/start-up-locks.js';

const ADMIN = 8301;
const OPERATOR = 8302;
/** An operator whose role is taken away while the form is open. */
const LEAVING = 8303;

describe('a knowledge base entry from an answered question', () => {
  let app: TestApp;
  let citizen = 6400;
  let message = 1;
  beforeAll(async () => {
    app = await createSceneHarness('inq_kb_entry', { adminIds: [ADMIN], redisPrefix: `t-${randomBytes(5).toString('hex')}` });
    for (const id of [OPERATOR, LEAVING]) {
      await app.bot.services.users.makeStaff(id, id, 'en', ADMIN);
      await app.bot.services.access.grant(id, { roles: ['operator'], regions: ['almaty'], topics: null }, 0);
      await onboard(app, id);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A citizen's question (in English unless said), answered by the operator in the Staff menu's way. */
  async function answered(question: string, answer: string, language: 'English' | 'Русский' = 'English'): Promise<string> {
    citizen += 1;
    await onboard(app, citizen, language);
    const ref =
      language === 'English'
        ? await askPerson(app, citizen, question)
        : await (async () => {
            await app.say(citizen, question);
            await app.tapLike(citizen, 'Спросить сотрудника');
            await app.tapLike(citizen, 'Реабилитация');
            await app.tapLike(citizen, 'Алматы');
            return app.drain(citizen).join('\n').match(/Q-\d{4}-\d{6}/)![0];
          })();
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    message += 1;
    expect(await relayToCitizen(app.bot.deps, inquiry, OPERATOR, { text: answer, chatId: OPERATOR, messageId: message })).toBe(true);
    return ref;
  }

  const entry = async (ref: string) => (await app.bot.services.faq.all()).find((e) => e.id === ref.toLowerCase());
  const entriesOf = async (ref: string) => (await app.bot.services.faq.all()).filter((e) => e.id === ref.toLowerCase()).length;
  const open = async (staff: number, ref: string) => {
    await app.send(app.api.callback(staff, iq.staff('faq', ref), undefined, { enqueue: false }));
    return app.drain(staff).join('\n');
  };
  const lastToast = () => String(app.api.callsOf('answerCallbackQuery').at(-1)?.payload.text ?? '');

  it('keeps both masked suggestions with one tap each, publishes on Publish only, and search finds it only then', async () => {
    const ref = await answered(
      'My IIN is 900101300123. How do I renew the parking permit for a driver with a disability?',
      'The parking permit for a driver with a disability is renewed at the public service centre; bring the identity card. The hotline is 1414.',
    );
    // From the question's screen in the Staff menu, as operators reach it.
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Make a knowledge base entry');
    app.drain(OPERATOR);
    // The question on staff's screen still shows the IIN; the entry's step 1 does not.
    const step1 = app.last(OPERATOR).text ?? '';
    expect(step1).toContain(`A knowledge base entry from question ${ref}. Language: English.`);
    expect(step1).toContain('I cannot find names, addresses or other personal details');
    expect(step1).toContain('How do I renew the parking permit for a driver with a disability?');
    expect(step1).not.toContain('900101300123');
    // Every button fits a small phone's line.
    for (const b of app.last(OPERATOR).buttons.flat()) expect(b.length).toBeLessThanOrEqual(BUTTON_MAX);
    await app.tapLike(OPERATOR, 'Keep this text');
    expect(app.drain(OPERATOR).join('\n')).toContain('The hotline is 1414.');
    await app.tapLike(OPERATOR, 'Keep this text');
    const summary = app.drain(OPERATOR).join('\n');
    expect(summary).toContain('Nobody sees it until you publish it');
    expect(summary).toContain('Question: My IIN is •••. How do I renew the parking permit');
    expect(summary).toContain('Answer: The parking permit for a driver with a disability is renewed');
    expect(app.last(OPERATOR).buttons.flat().slice(0, 3)).toEqual(['1. Publish', '2. Change the question', '3. Change the answer']);

    // Before Publish: stored nowhere, and a citizen asking the same finds nothing of it.
    expect(await entry(ref)).toBeUndefined();
    const asker = 6499;
    await onboard(app, asker);
    await app.say(asker, 'renew parking permit driver disability');
    expect(app.drain(asker).join('\n')).not.toContain('public service centre; bring the identity card');

    await app.tapLike(OPERATOR, 'Publish');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Entry ${ref.toLowerCase()} is published. People who ask in this language (English) can find it now.`);
    const published = (await entry(ref))!;
    // Reviewed by staff: not marked as a sample; in the question's language only.
    expect(published).toMatchObject({ topic: 'rehab', sample: false, en: { q: 'My IIN is •••. How do I renew the parking permit for a driver with a disability?' } });
    expect(published.kk).toBeUndefined();
    expect(published.ru).toBeUndefined();
    expect(JSON.stringify(published)).not.toContain('900101300123');
    expect((await auditOf(app, OPERATOR, 'faq.entry-from-inquiry')).map((r) => r.target)).toContain(`inquiry:${ref}`);

    await app.say(asker, 'renew parking permit driver disability');
    const found = app.drain(asker).join('\n');
    expect(found).toContain('public service centre; bring the identity card');
    // Reviewed, so not marked as an unconfirmed sample.
    expect(found).not.toContain('Sample answer');

    // The form again for the same question: the entry is there already.
    expect(await open(OPERATOR, ref)).toContain(`Question ${ref} already has a knowledge base entry (${ref.toLowerCase()})`);
    expect(await entriesOf(ref)).toBe(1);
  });

  it('takes typed corrections instead; a Russian question makes a Russian entry that only Russian look-ups find', async () => {
    const ref = await answered('Меня зовут Айгуль Сейткали, как получить путёвку в санаторий для ребёнка?', 'Айгуль, путёвку выдаёт отдел занятости и социальных программ вашего района по заявлению.', 'Русский');
    expect(await open(OPERATOR, ref)).toContain('Language: Russian');
    // The name cannot be found by the bot: the operator writes the question without it.
    await app.say(OPERATOR, 'Как получить путёвку в санаторий для ребёнка с инвалидностью?');
    await app.say(OPERATOR, 'Путёвку выдаёт отдел занятости и социальных программ района по заявлению родителя или законного представителя.');
    await app.tapLike(OPERATOR, 'Publish');
    const published = (await entry(ref))!;
    expect(published.ru).toEqual({
      q: 'Как получить путёвку в санаторий для ребёнка с инвалидностью?',
      k: '',
      a: 'Путёвку выдаёт отдел занятости и социальных программ района по заявлению родителя или законного представителя.',
    });
    expect(published.en).toBeUndefined();
    expect(JSON.stringify(published)).not.toContain('Айгуль');
    const index = await app.bot.services.faq.index();
    expect(index.answer('ru', 'путёвка в санаторий ребёнку с инвалидностью').map((h) => h.entry.id)).toContain(ref.toLowerCase());
    expect(index.answer('en', 'путёвка в санаторий ребёнку с инвалидностью').map((h) => h.entry.id)).not.toContain(ref.toLowerCase());
  });

  it('refuses a text with an IIN or a mobile number, too short or too long, and asks the same step again', async () => {
    // The operator's own call-back number is not the citizen's, so it is offered: the check finds it.
    const ref = await answered('Where can my son train for a job?', 'Call me back at 8 701 555 44 33 and we will find a course at the employment centre.');
    await open(OPERATOR, ref);
    const refused = async (typed: string, wanted: string) => {
      await app.say(OPERATOR, typed);
      const seen = app.drain(OPERATOR).join('\n');
      expect(seen, typed).toContain(wanted);
      // The same question again, with its suggestion and the Keep button.
      expect(seen, typed).toContain('A knowledge base entry from question');
      expect(app.last(OPERATOR).buttons.flat()).toContain('1. Keep this text');
    };
    await refused('Ask for IIN 900101 300 123 at the office?', 'looks like an IIN (12 digits)');
    await refused('Call +7 (701) 234-56-78 about job training?', 'still has a mobile phone number');
    await refused('Call 87012345678 about job training?', 'still has a mobile phone number');
    await refused('ab', 'The question is too short: write at least 3 characters.');
    await refused('   ', 'The question is too short');
    await refused(`Why ${'very '.repeat(50)}long?`, 'The question is too long: at most 200 characters.');
    expect((await app.bot.services.access.get(OPERATOR)) !== null).toBe(true);
    await app.tapLike(OPERATOR, 'Keep this text');
    // The offered answer holds the operator's mobile: kept as it is, it is refused too.
    await app.tapLike(OPERATOR, 'Keep this text');
    expect(app.drain(OPERATOR).join('\n')).toContain('The text still has a mobile phone number');
    // An office and a hotline number may stay.
    await app.say(OPERATOR, 'The employment centre finds a course: call 1414 or 8 800 080 7777, or the office at +7 (727) 300-00-00.');
    expect(app.drain(OPERATOR).join('\n')).toContain('Check the entry');
    expect(await entry(ref)).toBeUndefined();
    await app.tapLike(OPERATOR, 'Publish');
    expect((await entry(ref))?.en?.a).toContain('8 800 080 7777');
  });

  it('refuses a mobile number or an IIN written with typographic dashes or a minus sign, as phones turn hyphens into them', async () => {
    // An en dash, as a phone's keyboard makes of a typed hyphen: the offered answer holds a mobile number.
    const ref = await answered('Who can help my daughter find a job?', 'Call Aliya at 8\u2013701\u2013555\u201344\u201333, she finds courses at the employment centre.');
    await open(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Keep this text');
    expect(app.drain(OPERATOR).join('\n')).toContain('The text still has a mobile phone number');
    for (const typed of ['Call Aliya at 8\u2011701\u2011555\u201144\u201133 about courses.', 'Call Aliya at +7\u2212701\u2212555\u221244\u221233 about courses.']) {
      await app.say(OPERATOR, typed);
      expect(app.drain(OPERATOR).join('\n'), typed).toContain('The text still has a mobile phone number');
    }
    await app.say(OPERATOR, 'Show the IIN 900101\u2013300123 at the employment centre for a course.');
    expect(app.drain(OPERATOR).join('\n')).toContain('looks like an IIN (12 digits)');
    expect(await entry(ref)).toBeUndefined();
  });

  it('changes either text from the summary and comes back to it', async () => {
    const ref = await answered('How do I get a sign language interpreter for a court hearing?', 'Ask the court office for a sign language interpreter at least three days before.');
    await open(OPERATOR, ref);
    await app.say(OPERATOR, 'keep');
    await app.say(OPERATOR, '1');
    await app.tapLike(OPERATOR, 'Change the question');
    const change = app.drain(OPERATOR).join('\n');
    // The text so far is the one offered to keep.
    expect(change).toContain('How do I get a sign language interpreter for a court hearing?');
    await app.say(OPERATOR, 'How do I get a sign language interpreter in court?');
    expect(app.drain(OPERATOR).join('\n')).toContain('Question: How do I get a sign language interpreter in court?');
    // Typed, as every button can be.
    await app.say(OPERATOR, 'Change the answer');
    await app.say(OPERATOR, 'Keep this text');
    const summary = app.drain(OPERATOR).join('\n');
    expect(summary).toContain('Answer: Ask the court office for a sign language interpreter');
    expect(await entry(ref)).toBeUndefined();
    await app.say(OPERATOR, 'Publish');
    expect((await entry(ref))?.en?.q).toBe('How do I get a sign language interpreter in court?');
  });

  it('publishes once: a double tap on Publish, and the same publish run again, make one entry', async () => {
    const ref = await answered('Is there a social taxi for a wheelchair user in Almaty?', 'Yes: the social taxi is ordered through the district department of employment and social programmes.');
    await open(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Keep this text');
    const summary = app.last(OPERATOR);
    const publish = summary.callbackData[0]![0]!;
    await app.send(app.api.callback(OPERATOR, publish, summary.messageId, { enqueue: false }));
    await app.send(app.api.callback(OPERATOR, publish, summary.messageId, { enqueue: false }));
    expect(lastToast()).toBe('This button belongs to an earlier question.');
    expect(await entriesOf(ref)).toBe(1);

    // The mailbox runs an update again after a crash between the write and the commit: the same
    // texts find the entry there and count as published; other texts do not overwrite it.
    const { faq } = app.bot.services;
    const same = { id: ref.toLowerCase(), topic: 'rehab' as const, locale: 'en' as const, q: (await entry(ref))!.en!.q, a: (await entry(ref))!.en!.a };
    expect(await Promise.all([faq.publishReviewed(same), faq.publishReviewed(same)])).toEqual(['published', 'published']);
    expect(await faq.publishReviewed({ ...same, a: 'Another answer written meanwhile by someone else.' })).toBe('exists');
    expect(await entriesOf(ref)).toBe(1);
    expect((await entry(ref))?.en?.a).toBe(same.a);
  });

  it('refuses an operator whose role was taken away between opening the form and Publish', async () => {
    const ref = await answered('Can my mother get a hearing aid free of charge?', 'Hearing aids named in the rehabilitation programme are chosen on the Social Services Portal.');
    await open(LEAVING, ref);
    await app.tapLike(LEAVING, 'Keep this text');
    await app.tapLike(LEAVING, 'Keep this text');
    const deniedBefore = (await auditOf(app, LEAVING, 'access.denied')).length;
    await app.bot.services.access.revoke(LEAVING);
    await app.tapLike(LEAVING, 'Publish');
    expect(app.drain(LEAVING).join('\n')).toContain('Your access to "Knowledge base entry" has been withdrawn or changed, so this screen is closed.');
    expect(await entry(ref)).toBeUndefined();
    expect((await auditOf(app, LEAVING, 'access.denied')).length).toBeGreaterThan(deniedBefore);
    // Nor can the button be tapped again, or the form be opened anew.
    await app.send(app.api.callback(LEAVING, iq.staff('faq', ref), undefined, { enqueue: false }));
    expect(lastToast()).toBe('This button belongs to an earlier question.');
    expect(await entry(ref)).toBeUndefined();
  });

  it('reads access again when publishing, not only at the router: lost at that moment, nothing is published', async () => {
    const ref = await answered('Who pays for a rehabilitation centre stay?', 'A stay in a state rehabilitation centre is free with the individual rehabilitation programme.');
    let access = await app.bot.services.access.get(OPERATOR);
    const ctx = { ...(await engineContext('en')), meta: { updateId: 1, chatId: OPERATOR, userId: OPERATOR }, deps: app.bot.deps, access: async () => access };
    const form = new SceneDriver(kbEntryScene, ctx);
    await form.start({ ref });
    await form.tap('Keep this text');
    await form.tap('Keep this text');
    // Taken away after the router's check of this very tap.
    access = null;
    const out = await form.tap('Publish');
    expect(form.texts().join('\n')).toContain(`You cannot answer question ${ref}`);
    expect(out.ended).toBe('completed');
    expect(await entry(ref)).toBeUndefined();
  });

  it('speaks the member\'s language: a Kazakh-speaking operator keeps and publishes by typed words', async () => {
    const KK = 8304;
    await app.bot.services.users.makeStaff(KK, KK, 'kk', ADMIN);
    await app.bot.services.access.grant(KK, { roles: ['operator'], regions: ['almaty'], topics: null }, 0);
    await onboard(app, KK, 'Қазақша');
    const ref = await answered('Where do I get a wheelchair taxi in Almaty?', 'The social taxi is ordered through the district department of employment and social programmes.');
    expect(await open(KK, ref)).toContain('Тілі: ағылшын тілі.');
    expect(app.last(KK).buttons.flat()).toContain('1. Осы мәтінді қалдыру');
    await app.say(KK, 'қалдыру');
    await app.say(KK, 'осылай қалдыру');
    expect(app.last(KK).buttons.flat().slice(0, 3)).toEqual(['1. Жариялау', '2. Сұрақты өзгерту', '3. Жауапты өзгерту']);
    await app.say(KK, 'Жариялау');
    expect(app.drain(KK).join('\n')).toContain(`${ref.toLowerCase()} жазбасы жарияланды.`);
    // The entry is in the question's language (English), not the member's.
    expect((await entry(ref))?.en?.q).toBe('Where do I get a wheelchair taxi in Almaty?');
    expect((await entry(ref))?.kk).toBeUndefined();
  });

  it('publishes nothing when the person deleted their data while the form was open', async () => {
    const ref = await answered('Can I get a disability certificate for my grandson?', 'A parent or legal guardian applies for the certificate at the polyclinic with the referral.');
    await open(OPERATOR, ref);
    await app.say(OPERATOR, '1');
    await app.say(OPERATOR, '1');
    await app.bot.services.inquiries.eraseForUser(citizen);
    await app.tapLike(OPERATOR, 'Publish');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Question ${ref} is no longer there: the person deleted their data. Nothing was published.`);
    expect(await entry(ref)).toBeUndefined();
  });

  it('publishes nothing when the person deletes their data at the moment of Publish, between its check and its write', async () => {
    const ref = await answered('Is a ramp at the entrance of my block of flats paid by the city?', 'Ramps at the entrances of residential blocks are installed by the district akimat on request.');
    await open(OPERATOR, ref);
    await app.say(OPERATOR, '1');
    await app.say(OPERATOR, '1');
    const { faq } = app.bot.services;
    const publish = faq.publishReviewed.bind(faq);
    const asker = citizen;
    // The erasure lands after the form has found the question still there.
    faq.publishReviewed = async (entry) => {
      await app.bot.services.inquiries.eraseForUser(asker);
      return publish(entry);
    };
    try {
      await app.tapLike(OPERATOR, 'Publish');
    } finally {
      faq.publishReviewed = publish;
    }
    expect(app.drain(OPERATOR).join('\n')).toContain(`Question ${ref} is no longer there`);
    expect(await entry(ref)).toBeUndefined();
  });

  it('an entry an older version made from a question, its one text copied into all three languages, keeps only the question\'s language after start-up', async () => {
    const ref = await answered('Как оформить пособие по уходу за ребёнком с инвалидностью?', 'Пособие оформляется в центре обслуживания населения или на портале электронного правительства.', 'Русский');
    const { faq } = app.bot.services;
    const text = { q: 'Как оформить пособие по уходу за ребёнком с инвалидностью?', k: '', a: 'Пособие оформляется в центре обслуживания населения или на портале электронного правительства.' };
    // What the older "Make a knowledge base entry" button wrote: no review, the same text three times.
    await faq.importEntries([{ id: ref.toLowerCase(), topic: 'rehab', sample: true, kk: text, ru: text, en: text }]);
    // And one whose question was deleted since: its language is told by its letters.
    const kazakh = { q: 'Мүгедектігі бар балаға күтім жасағаны үшін жәрдемақы қалай рәсімделеді?', k: '', a: 'Жәрдемақы халыққа қызмет көрсету орталығында немесе электрондық үкімет порталында рәсімделеді.' };
    await faq.importEntries([{ id: 'q-2020-000001', topic: 'rehab', sample: true, kk: kazakh, ru: kazakh, en: kazakh }]);
    // Translated by staff through the file since: left as it is.
    const en = { q: 'How is the carer allowance for a child with a disability arranged?', k: '', a: 'At the public service centre or on the e-government portal.' };
    await faq.importEntries([{ id: 'q-2020-000002', topic: 'rehab', sample: true, kk: kazakh, ru: text, en }]);

    const { inquiriesFeature } = await import('../../../src/features/inquiries/index.js');
    for (const task of inquiriesFeature.startUp ?? []) await task.run(app.mongo, startUpLocks(app));
    const after = await faq.all();
    const byId = (id: string) => after.find((e) => e.id === id)!;
    expect(byId(ref.toLowerCase())).toMatchObject({ ru: text });
    expect(byId(ref.toLowerCase()).kk).toBeUndefined();
    expect(byId(ref.toLowerCase()).en).toBeUndefined();
    expect(byId('q-2020-000001')).toMatchObject({ kk: kazakh });
    expect(byId('q-2020-000001').ru).toBeUndefined();
    expect(byId('q-2020-000002')).toMatchObject({ kk: kazakh, ru: text, en });
    const index = await faq.index();
    expect(index.answer('en', 'пособие по уходу за ребёнком с инвалидностью').map((h) => h.entry.id)).not.toContain(ref.toLowerCase());
    // Run again at the next start: nothing more to change.
    for (const task of inquiriesFeature.startUp ?? []) expect(await task.run(app.mongo, startUpLocks(app))).toBe(0);
  });

  it('a citizen cannot open the form, and an entry from a question survives export and import unchanged', async () => {
    const ref = await answered('Do volunteers help with shopping for older people?', 'Yes: sign up as a volunteer in the bot and choose "support of people in need".');
    await app.send(app.api.callback(citizen, iq.staff('faq', ref), undefined, { enqueue: false }));
    expect(lastToast()).toBe('This button belongs to an earlier question.');
    await open(OPERATOR, ref);
    await app.say(OPERATOR, '1');
    await app.say(OPERATOR, '1');
    await app.say(OPERATOR, '1');
    const before = await app.bot.services.faq.all();
    expect(before.find((e) => e.id === ref.toLowerCase())?.en).toBeDefined();
    const file = await exportFaq(app.mongo);
    const report = await importFaq(app.mongo, file);
    expect(report).toEqual({ added: 0, updated: before.length, rejected: [] });
    expect(await app.bot.services.faq.all()).toEqual(before);
    // Staff translate it in the file: the other languages join the same entry.
    const translated = JSON.parse(file) as { entries: Array<Record<string, unknown>> };
    const row = translated.entries.find((e) => e.id === ref.toLowerCase())!;
    row.ru = { q: 'Помогают ли волонтёры пожилым людям с покупками?', k: '', a: 'Да: запишитесь волонтёром в боте и выберите «помощь нуждающимся».' };
    expect(await importFaq(app.mongo, JSON.stringify({ entries: [row] }))).toMatchObject({ updated: 1, rejected: [] });
    expect((await entry(ref))?.ru?.q).toBe('Помогают ли волонтёры пожилым людям с покупками?');
  });
});
