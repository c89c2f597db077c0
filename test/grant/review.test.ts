import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { CSV_COLUMNS } from '../../src/features/grant/grant-export.js';
import { exportedFile, fillApplication, IIN, NOW, parseCsv, refIn } from './helpers.js';

const ADMIN = 900;
const STAFF = 901;
const APPLICANT = 201;

describe('grant status tracking and staff review', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  let ref: string;

  beforeAll(async () => {
    app = await createSceneHarness('grant_review', { now: () => NOW, adminIds: [ADMIN] });
    delivery = app.delivery as RecordingDelivery;
    await onboard(app, APPLICANT, 'Русский');
    ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultA }));
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await onboard(app, STAFF);
    await onboard(app, ADMIN);
  });
  afterAll(async () => app?.close());

  async function openReview(chat: number, status = '1'): Promise<string> {
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Review applications');
    await app.say(chat, status);
    await app.tapLike(chat, 'All regions');
    await app.tapLike(chat, ref);
    app.drain(chat);
    return app.last(chat).text ?? '';
  }

  async function decide(label: string, comment: string): Promise<string[]> {
    await openReview(STAFF);
    await app.tapLike(STAFF, label);
    await app.say(STAFF, comment);
    return app.drain(STAFF);
  }

  const jobFor = (index: number) => delivery.jobs.find((j) => j.id === `gs-${ref}-${index}`);

  it('shows staff the application in full with the IIN masked; admins see it whole', async () => {
    const staffView = await openReview(STAFF);
    // Read out as words, not as eight bullets.
    expect(staffView).toContain(`IIN: ending in ${IIN.adultA.slice(-2)}`);
    expect(staffView).not.toContain(IIN.adultA);
    expect(staffView).toContain('Phone: +7 701 123 45 67');
    expect(staffView).toContain('Karaganda Region');
    await app.command(STAFF, 'cancel');
    const adminView = await openReview(ADMIN);
    expect(adminView).toContain(`IIN: ${IIN.adultA}`);
    await app.command(ADMIN, 'cancel');
  });

  it('tells the applicant of each change in their language', async () => {
    const texts = await decide('Take into review', '-');
    expect(texts.join('\n')).toContain(`Application ${ref}: the status is now "In review". The applicant has been notified.`);
    const job = jobFor(1)!;
    expect(job.chatId).toBe(APPLICANT);
    expect(job.kind).toBe('grant-status');
    expect(job.text).toContain(`Ваша заявка ${ref}`);
    expect(job.text).toContain('На рассмотрении');
  });

  it('needs a reason for "more information", and the applicant answers in the chat', async () => {
    await openReview(STAFF);
    await app.tapLike(STAFF, 'Ask for more information');
    await app.say(STAFF, '-');
    expect(app.drain(STAFF).join('\n')).toContain('A reason in words is required here');
    await app.say(STAFF, 'Please tell us where the workshop will be.');
    const job = jobFor(2)!;
    expect(job.text).toContain('Нужны дополнительные сведения');
    expect(job.text).toContain('Комментарий: Please tell us where the workshop will be.');
    const button = job.buttons![0]![0]!;
    expect(button.text).toBe('Ответить');
    expect(button.data).toBe(`gr:info:${ref}`);

    await app.send(app.api.callback(APPLICANT, button.data!, app.last(APPLICANT).messageId, { enqueue: false }));
    expect(app.last(APPLICANT).text).toContain('Please tell us where the workshop will be.');
    await app.say(APPLICANT, 'Мастерская будет дома, в отдельной комнате.');
    expect(app.drain(APPLICANT).join('\n')).toContain(`Ваш ответ добавлен к заявке ${ref}, она снова на рассмотрении`);
    const record = await app.bot.services.grants.get(ref);
    expect(record!.status).toBe('in-review');
    expect(record!.history.at(-1)!.answer).toBe('Мастерская будет дома, в отдельной комнате.');
    await app.command(APPLICANT, 'myapplications');
    const mine = app.drain(APPLICANT).join('\n');
    expect(mine).toContain('Статус: На рассмотрении.');
    expect(mine).toContain('Нужны дополнительные сведения — Please tell us where the workshop will be.');
  });

  it('needs a reason to reject, tells it to the applicant, and audits every decision', async () => {
    await openReview(STAFF);
    await app.tapLike(STAFF, 'Reject');
    await app.say(STAFF, 'no');
    expect(app.drain(STAFF).join('\n')).toContain('A reason in words is required here');
    await app.say(STAFF, 'The idea does not fit the programme this year.');
    const job = jobFor(4)!;
    expect(job.text).toContain('Отклонена');
    expect(job.text).toContain('Причина: The idea does not fit the programme this year.');
    const audit = await app.bot.services.audit.recent(20, { action: 'grant.status' });
    expect(audit.map((a) => (a.details as { to: string }).to).sort()).toEqual(['in-review', 'more-info', 'rejected']);
    expect(audit.every((a) => a.actorId === STAFF && a.target === `grant:${ref}`)).toBe(true);
    // A final decision offers nothing more to change.
    const view = await openReview(STAFF, '6');
    expect(view).toContain('status: Rejected');
    expect(app.last(STAFF).buttons.flat().filter((b) => /^\d\./.test(b))).toEqual(['1. Leave unchanged']);
    await app.command(STAFF, 'cancel');
  });

  it('approves another application and tells the applicant in English', async () => {
    await onboard(app, 202);
    const texts = await fillApplication(app, 202, { iin: IIN.adultB, type: '2', region: 'Almaty' });
    const other = refIn(texts);
    const result = await app.bot.services.grants.changeStatus(STAFF, other, 'submitted', 'approved');
    expect(result.result).toBe('changed');
    const job = delivery.jobs.find((j) => j.id === `gs-${other}-1`)!;
    expect(job.text).toContain(`Your application ${other} (Microloan): Approved.`);
    expect(await app.bot.services.grants.changeStatus(STAFF, other, 'submitted', 'rejected', 'late')).toEqual({ result: 'changed-meanwhile' });
    expect(await app.bot.services.grants.applicantUserIds()).toEqual([APPLICANT, 202]);
  });

  async function exportAs(chat: number, mode?: string): Promise<{ intro: string; tables: string[][][]; filename: string }> {
    const { file, answer } = await exportedFile(app, chat, async () => {
      await app.command(chat, 'menu');
      await app.tapLike(chat, 'Staff');
      await app.tapLike(chat, 'Export applications');
      if (mode) {
        expect(app.last(chat).text).toContain('How should the export show names, IINs and phone numbers?');
        expect(app.last(chat).buttons.flat()).toContain('1. Masked (recommended)');
        await app.say(chat, mode);
      }
    });
    // The update answers at once; the file follows from the job.
    expect(answer.join('\n')).toContain('I am preparing the file with the applications');
    expect(file.document!.content.startsWith('\uFEFF')).toBe(true);
    return { intro: file.text!, tables: [parseCsv(file.document!.content.slice(1))], filename: file.document!.filename };
  }

  it('exports a CSV file, masked for staff', async () => {
    const { intro, tables, filename } = await exportAs(STAFF);
    expect(filename).toMatch(/^komek-applications-\d{4}-\d{2}-\d{2}-masked\.csv$/);
    expect(intro).toContain('Applications: 2. Names, IINs and phone numbers are masked.');
    expect(tables).toHaveLength(1);
    const [header, ...rows] = tables[0]!;
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const mine = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === ref)![i]]));
    expect(mine).toMatchObject({ programme: 'grant', status: 'rejected', region: 'karaganda', name: 'A. S.' });
    expect(mine.iin).toBe(`${IIN.adultA.slice(0, 2)}••••••••${IIN.adultA.slice(-2)}`);
    expect(mine.phone).toBe("'+7 701 *** ** 67");
    expect(JSON.stringify(tables)).not.toContain(IIN.adultA);
  });

  it('lets admins choose, masked first; full personal data only when they ask, and audits each export', async () => {
    const masked = await exportAs(ADMIN, '1');
    expect(masked.intro).toContain('are masked');
    expect(JSON.stringify(masked.tables)).not.toContain(IIN.adultA);
    const full = await exportAs(ADMIN, 'In full');
    expect(full.intro).toContain('Full personal data');
    const [header, ...rows] = full.tables[0]!;
    const row = rows.find((r) => r[0] === ref)!;
    expect(row[header!.indexOf('iin')]).toBe(IIN.adultA);
    expect(row[header!.indexOf('name')]).toBe('Aliya Sarsenbayeva');
    const audit = await app.bot.services.audit.recent(5, { action: 'grant.export' });
    const seen = audit.map((e) => `${e.actorId}:${(e.details as { masked: boolean }).masked}`).sort();
    expect(seen).toEqual([`${ADMIN}:false`, `${ADMIN}:true`, `${STAFF}:true`]);
    // The choice itself is a scene only admins may enter.
    expect(app.bot.registry.scenes.get('grant-export')!.roles).toEqual(['admin']);
  });

  it('"My data" shows applications masked; erasing keeps the state-support record only', async () => {
    await app.command(APPLICANT, 'mydata');
    const overview = app.drain(APPLICANT).join('\n');
    expect(overview).toContain(`Заявка ${ref} (Грант на новую бизнес-идею): Отклонена. ИИН оканчивается на ${IIN.adultA.slice(-2)}, телефон оканчивается на 67.`);
    await app.say(APPLICANT, '1');
    await app.say(APPLICANT, '1');
    const done = app.drain(APPLICANT).join('\n');
    expect(done).toContain(`Заявка ${ref}: номер, история статусов и зашифрованный ИИН сохраняются`);
    const raw = await app.mongo.db!.collection('grantapplications').findOne({ ref });
    expect(raw!.iinEnc).toBeTypeOf('string');
    expect(raw!.history).toHaveLength(5);
    expect(raw!.history.some((h: { answer?: string }) => h.answer)).toBe(false);
    for (const gone of ['phoneEnc', 'phoneHash', 'idea', 'name', 'userId', 'chatId']) expect(raw).not.toHaveProperty(gone);
    expect(await app.bot.services.grants.applicantUserIds()).toEqual([202]);
  });

  it('tells a Kazakh-speaking applicant of every change in Kazakh; the answer can be typed from the menu', async () => {
    const KK = 203;
    await onboard(app, KK, 'Қазақша');
    const other = refIn(await fillApplication(app, KK, { iin: IIN.adultC }));
    const notice = (index: number) => delivery.jobs.find((j) => j.id === `gs-${other}-${index}`)!;

    expect((await app.bot.services.grants.changeStatus(STAFF, other, 'submitted', 'in-review')).result).toBe('changed');
    expect(notice(1).text).toContain(`Сіздің ${other} өтінішіңіз`);
    expect(notice(1).text).toContain('Қаралуда');
    await app.bot.services.grants.changeStatus(STAFF, other, 'in-review', 'more-info', 'Цех қай жерде болады?');
    expect(notice(2).text).toContain('Қосымша мәлімет қажет');
    expect(notice(2).text).toContain('Түсініктеме: Цех қай жерде болады?');
    expect(notice(2).buttons![0]![0]!.text).toBe('Жауап беру');

    // Without the notice's button: the menu offers the waiting application first, by number.
    await app.command(KK, 'menu');
    await app.tapLike(KK, 'Отбасылық бизнесті қолдау');
    expect(app.last(KK).buttons.flat()[0]).toBe(`1. Жауап беру: ${other}`);
    await app.say(KK, '1');
    expect(app.last(KK).text).toContain('Цех қай жерде болады?');
    await app.say(KK, 'Үйде, бөлек бөлмеде.');
    expect(app.drain(KK).join('\n')).toContain(`Жауабыңыз ${other} өтінішіне қосылды`);

    await app.bot.services.grants.changeStatus(STAFF, other, 'in-review', 'approved');
    expect(notice(4).text).toContain('Мақұлданды');
    expect(notice(4).text).toContain('Құттықтаймыз!');
    await app.command(KK, 'myapplications');
    expect(app.drain(KK).join('\n')).toContain('Мәртебесі: Мақұлданды.');
  });

  it('tells the second of two reviewers deciding on the same application that it has just changed', async () => {
    await onboard(app, 204);
    const other = refIn(await fillApplication(app, 204, { iin: IIN.adultD }));
    for (const chat of [STAFF, ADMIN]) {
      await app.command(chat, 'menu');
      await app.tapLike(chat, 'Staff');
      await app.tapLike(chat, 'Review applications');
      await app.say(chat, '1');
      await app.tapLike(chat, 'All regions');
      await app.tapLike(chat, other);
      app.drain(chat);
    }
    await app.tapLike(STAFF, 'Approve');
    await app.say(STAFF, '-');
    expect(app.drain(STAFF).join('\n')).toContain(`Application ${other}: the status is now "Approved".`);
    await app.tapLike(ADMIN, 'Reject');
    await app.say(ADMIN, 'The idea does not fit the programme.');
    expect(app.drain(ADMIN).join('\n')).toContain(`Someone else has just changed application ${other}. Please open it again.`);
    const record = (await app.bot.services.grants.get(other))!;
    expect(record.history.map((h) => h.status)).toEqual(['submitted', 'approved']);
  });

  it('tells the reviewer when a microloan in Atyrau region is above the limit outside the city of Atyrau', async () => {
    // The bot asks for the region, not the town: 30,000,000 fits the city of Atyrau (8000 MCI)
    // but not the rest of the region (6500 MCI = 28,112,500), so the reviewer checks the address.
    await onboard(app, 205);
    const above = refIn(await fillApplication(app, 205, { iin: IIN.adultE, type: '2', region: 'Atyrau Region', amount: '30 000 000' }));
    await onboard(app, 206);
    const within = refIn(await fillApplication(app, 206, { iin: IIN.secondWeights, type: '2', region: 'Atyrau Region', amount: '20 000 000' }));
    const view = async (chat: number, wanted: string) => {
      await app.command(chat, 'menu');
      await app.tapLike(chat, 'Staff');
      await app.tapLike(chat, 'Review applications');
      await app.say(chat, '1');
      await app.tapLike(chat, 'All regions');
      await app.tapLike(chat, wanted);
      app.drain(chat);
      const text = app.last(chat).text ?? '';
      await app.command(chat, 'cancel');
      app.drain(chat);
      return text;
    };
    expect(await view(STAFF, above)).toContain(
      'The amount is above the limit outside the city (28,112,500\u00a0tenge): the higher limit is for the city of Atyrau only. Please check where the family lives.',
    );
    expect(await view(STAFF, within)).not.toContain('above the limit outside the city');
  });
});
