import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { fillApplication, IDEA, IIN, NOW, openApplication, refIn } from './helpers.js';

describe('grant application', () => {
  let app: TestApp;
  const logs: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
    app = await createSceneHarness('grant_app', { now: () => NOW, logger: createLogger('debug', sink) });
  });
  afterAll(async () => app?.close());

  it('takes a whole application in English and gives a reference number', async () => {
    await onboard(app, 101);
    const texts = await fillApplication(app, 101, { iin: IIN.valid });
    const all = texts.join('\n');
    expect(all).toContain('Please check your application');
    expect(all).toContain('IIN: ending in 12');
    expect(all).not.toContain('••');
    expect(all).toContain('1,500,000');
    expect(all).toMatch(/Reference number: KMK-2026-\d{6}/);
  });

  it('takes a whole application in Russian', async () => {
    await onboard(app, 102, 'Русский');
    const texts = await fillApplication(app, 102, { iin: IIN.adultA, type: '2', amount: '5 млн' });
    const all = texts.join('\n');
    expect(all).toContain('Напишите ваш ИИН');
    expect(all).toContain('Пожалуйста, проверьте заявку');
    expect(all).toContain('Микрокредит');
    expect(all).toMatch(/Номер заявки: KMK-2026-\d{6}/);
  });

  it('takes a whole application in Kazakh', async () => {
    await onboard(app, 103, 'Қазақша');
    const texts = await fillApplication(app, 103, { iin: IIN.adultB, region: 'Ақтау' });
    const all = texts.join('\n');
    expect(all).toContain('ЖСН-іңізді жазыңыз');
    expect(all).toContain('Маңғыстау облысы');
    expect(all).toMatch(/Өтініш нөмірі: KMK-2026-\d{6}/);
  });

  it('checks the IIN: format, impossible date, check digit, age — each with its own message', async () => {
    await onboard(app, 104);
    await openApplication(app, 104);
    await app.say(104, '1');
    await app.say(104, 'Aliya Sarsenbayeva');
    app.drain(104);
    const cases: Array<[string, string]> = [
      ['12345', 'exactly 12 digits'],
      [IIN.impossibleDate, 'this date does not exist'],
      [IIN.badCheck, 'check) digit does not match'],
      [IIN.minor, 'must be 18 or older'],
      [IIN.secondWeightsBad, 'check) digit does not match'],
      [IIN.badCentury, 'The 7th digit of an IIN shows the century of birth'],
    ];
    for (const [iin, message] of cases) {
      await app.say(104, iin);
      const texts = app.drain(104);
      expect(texts.join('\n')).toContain(message);
      expect(app.last(104).text).toContain('Please type your IIN');
    }
    await app.say(104, IIN.secondWeights.replace(/(\d{6})/, '$1 '));
    expect(app.drain(104).join('\n')).toContain('Your phone number');
    // Phone vectors: a landline-only prefix and letters are turned down, a typed 8-number is accepted.
    for (const phone of ['+7 703 123 45 67', '12345', 'call me']) {
      await app.say(104, phone);
      expect(app.drain(104).join('\n')).toContain('does not look like a Kazakhstan mobile number');
    }
    await app.say(104, '8 (707) 765-43-21');
    expect(app.drain(104).join('\n')).toContain('Which region do you live in?');
    await app.command(104, 'cancel');
  });

  it('turns down a sticker, 5,000 characters and emoji at every step, keeping the question', async () => {
    await onboard(app, 105);
    await openApplication(app, 105);
    app.drain(105);
    const answers = ['2', 'Dana Omarova', IIN.adultD, '+77051234567', '5', '2', '5', '3', '4', IDEA, '10 000 000', '1', '2024', '1'];
    for (const answer of answers) {
      const question = app.last(105).text;
      await app.send(app.api.sticker(105, { enqueue: false }));
      expect(app.drain(105).join('\n')).toContain('I cannot read stickers');
      expect(app.last(105).text).toBe(question);
      await app.say(105, 'x'.repeat(5000));
      expect(app.drain(105).join('\n')).toMatch(/too long/i);
      expect(app.last(105).text).toBe(question);
      await app.say(105, '😀🎉');
      expect(app.drain(105).length).toBeGreaterThan(1);
      expect(app.last(105).text).toBe(question);
      await app.say(105, answer);
    }
    const summary = app.last(105).text;
    expect(summary).toContain('Please check your application');
    expect(summary).toContain('10,000,000');
    await app.say(105, '1');
    refIn(app.drain(105));
  });

  it('asks a large family for at least 4 minor children, plainly', async () => {
    await onboard(app, 106);
    await openApplication(app, 106);
    for (const answer of ['1', 'Aliya Sarsenbayeva', IIN.adultE, '+77011112233', 'Astana', '1, 2', '6']) await app.say(106, answer);
    app.drain(106);
    await app.say(106, '2');
    const texts = app.drain(106).join('\n');
    expect(texts).toContain('A large family has at least 4 minor children');
    expect(app.last(106).text).toContain('Count those under 18, and those up to 23 who study full-time');
    await app.say(106, '7');
    expect(app.drain(106).join('\n')).toContain('cannot be more children than people in the family (6)');
    await app.command(106, 'cancel');
  });

  it('gives the higher microloan limit for the city of Atyrau only, and the rest of the region its own limit', async () => {
    await onboard(app, 130, 'Русский');
    await openApplication(app, 130);
    for (const answer of ['2', 'Алия Сарсенбаева', IIN.adultE, '+7 701 123 45 67', 'Атырауская область', '1', '6', '4', '2', IDEA]) await app.say(130, answer);
    const prompt = app.last(130).text ?? '';
    // data/programmes.json: 8000 MCI in the city of Atyrau, 6500 MCI in the rest of the region.
    expect(prompt).toMatch(/в городе Атырау — до 34\s600\s000\sтенге \(8000 МРП\), в остальных населённых пунктах области — до 28\s112\s500\sтенге \(6500 МРП\)/);
    expect(prompt).not.toContain('₸');
    // Above the city's limit: a clear message with both limits, then the same question again.
    await app.say(130, '35 000 000');
    const refused = app.drain(130).join('\n');
    expect(refused).toContain('больше, чем позволяет программа');
    expect(refused).toContain('в городе Атырау');
    expect(app.last(130).text).toBe(prompt);
    // Within the city's limit (a family in Atyrau itself) is taken.
    await app.say(130, '30 000 000');
    expect(app.last(130).text).toContain('Бастау Бизнес');
    await app.command(130, 'cancel');
    app.drain(130);
  });

  it('gives one microloan limit for a city of republican significance', async () => {
    await onboard(app, 131);
    await openApplication(app, 131);
    for (const answer of ['2', 'Aliya Sarsenbayeva', IIN.adultE, '+7 701 123 45 67', 'Shymkent', '1', '6', '4', '2', IDEA]) await app.say(131, answer);
    const prompt = app.last(131).text ?? '';
    expect(prompt).toContain('in your region: up to 34,600,000\u00a0tenge (8000 MCI).');
    expect(prompt).not.toContain('elsewhere');
    await app.command(131, 'cancel');
    app.drain(131);
  });

  it('edits answers from the summary; a new support type re-checks the amount limit', async () => {
    await onboard(app, 107);
    await fillApplication(app, 107, { iin: IIN.adultC, type: '2', amount: '20 000 000', stopAtSummary: true });
    expect(app.last(107).text).toContain('20,000,000');
    // Change the amount.
    await app.tapLike(107, 'Change an answer');
    await app.tapLike(107, 'Amount');
    expect(app.last(107).text).toContain('up to 28,112,500');
    await app.say(107, '30 000 000');
    expect(app.drain(107).join('\n')).toContain('more than the programme allows in your region: up to 28,112,500');
    await app.say(107, '19 000 000');
    expect(app.last(107).text).toContain('19,000,000');
    // Change the support type: the grant limit is far lower, so the amount is asked again.
    await app.tapLike(107, 'Change an answer');
    await app.tapLike(107, 'Support');
    await app.say(107, '1');
    expect(app.last(107).text).toContain('up to 1,730,000\u00a0tenge (400 MCI)');
    await app.say(107, '19 000 000');
    expect(app.drain(107).join('\n')).toContain('more than the programme allows');
    await app.say(107, '1 700 000');
    // A grant needs the certificate year, which the microloan did not.
    expect(app.last(107).text).toContain('Bastau Business certificate');
    await app.say(107, '2020');
    expect(app.drain(107).join('\n')).toContain('A grant needs a certificate from 2023 or later');
    await app.say(107, '2024');
    while (!(app.last(107).text ?? '').includes('Please check your application')) await app.say(107, '1');
    const summary = app.last(107).text;
    expect(summary).toContain('Grant for a new business idea');
    expect(summary).toContain('1,700,000');
    expect(summary).toContain('Certificate year: 2024');
    await app.say(107, '1');
    refIn(app.drain(107));
  });

  it('refuses a second open application for the same IIN and programme, at the IIN step and in the service', async () => {
    await onboard(app, 108);
    await openApplication(app, 108);
    await app.say(108, '1');
    await app.say(108, 'Someone Else');
    app.drain(108);
    await app.say(108, IIN.valid);
    const texts = app.drain(108).join('\n');
    // Someone else's application (user 101's): refused, but its reference is not theirs to learn.
    expect(texts).toContain('An application for "Grant for a new business idea" with this IIN is already being considered. It is not linked to this chat');
    expect(texts).not.toMatch(/KMK-\d{4}-\d{6}/);
    await app.command(108, 'cancel');
    const again = await app.bot.services.grants.submit({
      userId: 108, chatId: 108, locale: 'en', submissionKey: '108-1', programme: 'grant', name: 'X Y', iin: IIN.valid,
      phone: '+77011234567', region: 'astana', groups: ['kandas'], members: 3, children: 1, sector: 'it', idea: IDEA,
      amount: 100000, mci: 4325, mciYear: 2026,
    });
    expect(again.result).toBe('duplicate');
  });

  it('makes one application of a double-tapped or retried Submit', async () => {
    await onboard(app, 109);
    // IIN.adultD has an open microloan (bad-input test); a grant is another programme.
    await fillApplication(app, 109, { iin: IIN.adultD, type: '1', stopAtSummary: true, region: 'Shymkent' });
    const visible = app.api.visibleMessages(109);
    const summary = visible[visible.length - 1]!;
    expect(summary.text).toContain('Please check your application');
    const submit = summary.callbackData[0]![0]!;
    await app.send(app.api.callback(109, submit, summary.messageId, { enqueue: false }));
    await app.send(app.api.callback(109, submit, summary.messageId, { enqueue: false }));
    const mine = await app.bot.services.grants.listForUser(109);
    expect(mine).toHaveLength(1);
    // A retry after a lost reply arrives with the same form start: the same record comes back.
    const input = {
      userId: 109, chatId: 109, locale: 'en' as const, submissionKey: mine[0]!.submissionKey, programme: 'grant' as const, name: 'X Y',
      iin: IIN.adultD, phone: '+77011234567', region: 'astana', groups: ['kandas'], members: 3, children: 1, sector: 'it', idea: IDEA,
      amount: 100000, mci: 4325, mciYear: 2026,
    };
    expect(await app.bot.services.grants.submit(input)).toEqual({ result: 'existing', ref: mine[0]!.ref });
  });

  it('lists my applications with status and history', async () => {
    await app.command(101, 'myapplications');
    const texts = app.drain(101).join('\n');
    expect(texts).toContain('Your applications: 1.');
    expect(texts).toMatch(/KMK-2026-\d{6} · Grant for a new business idea · 1,500,000/);
    expect(texts).toContain('Status: Submitted.');
  });

  it('explains eligibility with amounts from the MCI, then offers to apply; others get other help', async () => {
    await onboard(app, 110);
    await app.command(110, 'menu');
    await app.tapLike(110, 'Family business support');
    await app.say(110, '1');
    await app.say(110, '3');
    const result = app.last(110).text ?? '';
    expect(result).toContain('Grant for a new business idea: 1,730,000\u00a0tenge at most (400 MCI)');
    expect(result).toContain('A grant needs a certificate no older than 3 years.');
    expect(result).toContain('up to 34,600,000\u00a0tenge (8000 MCI)');
    // The data file names cities, and so does the text.
    expect(result).toContain('in the cities of Astana, Almaty, Shymkent, Aktau and Atyrau');
    expect(result).toContain('MCI of 2026: 4,325\u00a0tenge');
    await app.tapLike(110, 'Apply now');
    expect(app.last(110).text).toContain('What support are you applying for?');
    await app.command(110, 'cancel');
    await app.tapLike(110, 'Family business support');
    await app.say(110, '1');
    await app.say(110, '6');
    const none = app.drain(110).join('\n');
    expect(none).toContain('do not fit your family right now');
    expect(none).toContain('employment centre');
  });

  it('answers a command or an old button in the middle of the form, then asks the same question', async () => {
    await onboard(app, 111);
    await openApplication(app, 111);
    await app.say(111, '1');
    const oldQuestion = app.api.visibleMessages(111).at(-2)!;
    expect(oldQuestion.text).toContain('What support are you applying for?');
    app.drain(111);
    const question = app.last(111).text;
    expect(question).toContain('Please type your full name');
    await app.command(111, 'myapplications');
    expect(app.drain(111).join('\n')).toContain('You are in the middle of a form. To use /myapplications, finish the form or tap Cancel first.');
    expect(app.last(111).text).toBe(question);
    await app.send(app.api.callback(111, oldQuestion.callbackData[1]![0]!, oldQuestion.messageId, { enqueue: false }));
    expect(app.last(111).text).toBe(question);
    await app.send(app.api.photo(111, { enqueue: false }));
    expect(app.drain(111).join('\n')).toContain('I cannot read stickers, photos');
    expect(app.last(111).text).toBe(question);
    const stored = await app.bot.sessions.peek(111);
    expect(stored!.scene!.answers).toMatchObject({ type: 'grant' });
    expect(stored!.scene!.answers).not.toHaveProperty('name');
    await app.command(111, 'cancel');
  });

  it('keeps no IIN or phone number in clear text in MongoDB', async () => {
    const docs = await app.mongo.db!.collection('grantapplications').find({}).toArray();
    expect(docs.length).toBeGreaterThanOrEqual(5);
    const secrets = [IIN.valid, IIN.adultA, IIN.adultB, IIN.adultC, IIN.adultD, '7011234567', '7051234567', '7077654321'];
    for (const doc of docs) {
      const raw = JSON.stringify(doc);
      const digitsOnly = raw.replace(/\D/g, ' ');
      for (const secret of secrets) {
        expect(raw).not.toContain(secret);
        expect(digitsOnly).not.toContain(secret);
      }
      expect(doc.iinHash).toBeTypeOf('string');
      expect(doc.phoneHash).toBeTypeOf('string');
    }
    for (const name of ['auditlogs', 'counters', 'grantdecisions']) {
      const raw = JSON.stringify(await app.mongo.db!.collection(name).find({}).toArray());
      for (const secret of secrets) expect(raw).not.toContain(secret);
    }
  });

  it('writes no IIN or phone number to the logs', async () => {
    const text = logs.join('');
    expect(text).toContain('grant application submitted');
    for (const secret of [IIN.valid, IIN.adultA, IIN.adultB, IIN.adultC, IIN.adultD, IIN.secondWeights, '7011234567', '7051234567', '7077654321']) {
      expect(text).not.toContain(secret);
    }
  });
});
