import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { backfillApplicantRegions } from '../../src/features/grant/applicant-flags.js';
import { backfillVolunteerRegions } from '../../src/features/volunteer/volunteer-flags.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { fillApplication, IIN, NOW } from '../grant/helpers.js';
import { startUpLocks } from '../support/start-up-locks.js';

const ADMIN = 8300;
const APPLICANT = 8301;
const VOLUNTEER = 8302;
const BYSTANDER = 8303;
const OLD_APPLICANT = 8304;
const OLD_VOLUNTEER = 8305;

const profile = (region: string) => ({ fullName: 'Aigerim Nurlanovna', age: 30, phone: '+77011234567', region, areas: ['animals'], availability: [], skills: [] });

// A broadcaster limited to regions can only write to a region, and anyone may choose one: the
// audience is the user records of that region. Nothing wrote a region on them, so an
// announcement to a region reached nobody, however many applied or volunteered there.
describe('attack: an announcement to one region', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_region_audience', { now: () => NOW, adminIds: [ADMIN] });
    for (const chat of [APPLICANT, VOLUNTEER, BYSTANDER]) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  it('reaches the people who told the bot their region in an application or a volunteer profile', async () => {
    await fillApplication(app, APPLICANT, { iin: IIN.adultA, region: 'Караганда' });
    await app.bot.services.volunteers.register(VOLUNTEER, VOLUNTEER, 'en', profile('karaganda'));
    const { broadcasts } = app.bot.services;
    expect(await broadcasts.countAudience({ group: 'all', region: 'karaganda' })).toBe(2);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'karaganda' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'karaganda' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'all', region: 'abai' })).toBe(0);
  }, 60_000);

  it('follows a volunteer who moves to another region', async () => {
    await app.bot.services.volunteers.updateField(VOLUNTEER, 'region', 'abai');
    expect(await app.bot.services.broadcasts.countAudience({ group: 'volunteers', region: 'abai' })).toBe(1);
    expect(await app.bot.services.broadcasts.countAudience({ group: 'volunteers', region: 'karaganda' })).toBe(0);
  }, 60_000);

  it('forgets the region of a volunteer who leaves, and keeps that of an applicant', async () => {
    const users = userModel(app.mongo);
    await app.bot.services.volunteers.register(BYSTANDER, BYSTANDER, 'en', profile('abai'));
    await app.bot.services.volunteers.remove(BYSTANDER);
    expect((await users.findOne({ telegramId: BYSTANDER }).lean())?.region).toBeUndefined();
    expect((await users.findOne({ telegramId: APPLICANT }).lean())?.region).toBe('karaganda');
  }, 60_000);

  it('shows the region kept for announcements under My data', async () => {
    await app.command(APPLICANT, 'mydata');
    expect(app.drain(APPLICANT).join('\n')).toContain('Region for announcements: Karaganda Region');
  }, 60_000);

  it('fills the region in once for people who applied or volunteered before it was kept', async () => {
    const users = userModel(app.mongo);
    await users.insertMany([
      { telegramId: OLD_APPLICANT, chatId: OLD_APPLICANT, locale: 'ru' },
      { telegramId: OLD_VOLUNTEER, chatId: OLD_VOLUNTEER, locale: 'kk' },
    ]);
    const template = (await grantApplicationModel(app.mongo).findOne({ userId: APPLICANT }).lean())!;
    const { _id: _id, ...rest } = template;
    await grantApplicationModel(app.mongo).create({ ...rest, ref: 'KMK-2025-000777', submissionKey: 'old-777', userId: OLD_APPLICANT, chatId: OLD_APPLICANT, region: 'ulytau', activeKey: undefined, status: 'approved' });
    await volunteerModel(app.mongo).create({ ...profile('turkistan'), userId: OLD_VOLUNTEER, chatId: OLD_VOLUNTEER, locale: 'kk', phoneEnc: 'x', phoneHash: 'y', consentAt: NOW });
    // Records of the version before: nobody carries a region yet.
    await users.updateMany({}, { $unset: { region: 1 } });
    expect(await backfillApplicantRegions(app.mongo, startUpLocks(app))).toBe(2);
    expect(await backfillVolunteerRegions(app.mongo, startUpLocks(app))).toBe(2);
    expect(await app.bot.services.broadcasts.countAudience({ group: 'all', region: 'ulytau' })).toBe(1);
    expect(await app.bot.services.broadcasts.countAudience({ group: 'all', region: 'turkistan' })).toBe(1);
    expect(await app.bot.services.broadcasts.countAudience({ group: 'all', region: 'abai' })).toBe(1);
    // Once everyone who applied or volunteered carries a region, they do nothing.
    expect(await backfillApplicantRegions(app.mongo, startUpLocks(app))).toBe(0);
    expect(await backfillVolunteerRegions(app.mongo, startUpLocks(app))).toBe(0);
    expect((await users.findOne({ telegramId: BYSTANDER }).lean())?.region).toBeUndefined();
  }, 60_000);
});
