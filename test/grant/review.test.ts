import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { fillApplication, IIN, NOW, refIn } from './helpers.js';

const ADMIN = 900;
const STAFF = 901;
const APPLICANT = 201;

describe('grant status tracking and staff review', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  let ref: string;

  beforeAll(async () => {
    app = await createTestApp('grant_review', { now: () => NOW, adminIds: [ADMIN] });
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
    await app.tapLike(chat, 'Grant and microloan applications');
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
    expect(staffView).toContain(`IIN: ${IIN.adultA.slice(0, 2)}••••••••${IIN.adultA.slice(-2)}`);
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
    expect(app.drain(STAFF).join('\n')).toContain('A reason is required here');
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
    expect(app.drain(STAFF).join('\n')).toContain('A reason is required here');
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

  it('exports CSV masked for staff and whole for admins', async () => {
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Export applications');
    const masked = app.drain(STAFF).join('\n');
    expect(masked).toContain('Applications: 2. Names, IINs and phone numbers are masked.');
    expect(masked).toContain('ref,submitted_at,programme,status');
    expect(masked).toContain(`${ref},`);
    expect(masked).not.toContain(IIN.adultA);
    expect(masked).toContain('+7 701 *** ** 67');
    await app.command(ADMIN, 'menu');
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Export applications');
    const full = app.drain(ADMIN).join('\n');
    expect(full).toContain(IIN.adultA);
    const audit = await app.bot.services.audit.recent(5, { action: 'grant.export' });
    expect(audit).toHaveLength(2);
  });

  it('"My data" shows applications masked; erasing keeps the state-support record only', async () => {
    await app.command(APPLICANT, 'mydata');
    const overview = app.drain(APPLICANT).join('\n');
    expect(overview).toContain(`Заявка ${ref} (Грант на новую бизнес-идею): Отклонена. ИИН ${IIN.adultA.slice(0, 2)}••••••••${IIN.adultA.slice(-2)}, телефон +7 701 *** ** 67.`);
    await app.say(APPLICANT, '1');
    await app.say(APPLICANT, '1');
    const done = app.drain(APPLICANT).join('\n');
    expect(done).toContain(`Заявки ${ref}: номер, история статусов и зашифрованный ИИН сохраняются`);
    const raw = await app.mongo.db!.collection('grantapplications').findOne({ ref });
    expect(raw!.iinEnc).toBeTypeOf('string');
    expect(raw!.history).toHaveLength(5);
    expect(raw!.history.some((h: { answer?: string }) => h.answer)).toBe(false);
    for (const gone of ['phoneEnc', 'phoneHash', 'idea', 'name', 'userId', 'chatId']) expect(raw).not.toHaveProperty(gone);
    expect(await app.bot.services.grants.applicantUserIds()).toEqual([202]);
  });
});
