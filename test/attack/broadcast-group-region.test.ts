// One person can volunteer in one region and apply for a family-business grant in another (the
// business is registered where the family lives, the volunteering is where they work). The user
// record kept a single region, the last one given: an announcement "to volunteers in Astana"
// missed a volunteer of Astana who had since applied in Karaganda, and one "to volunteers in
// Karaganda" reached them instead. Each group's announcements to a region follow that group's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { backfillApplicantGroupRegions } from '../../src/features/grant/applicant-flags.js';
import { backfillVolunteerGroupRegions } from '../../src/features/volunteer/volunteer-flags.js';
import { IIN, NOW, submitDirectly } from '../grant/helpers.js';
import { startUpLocks } from '../support/start-up-locks.js';

const ADMIN = 8400;
const BOTH = 8401;
const OLDER = 8402;

const profile = (region: string) => ({ fullName: 'Aigerim Nurlanovna', age: 30, phone: '+77011234567', region, areas: ['animals'], availability: [], skills: [] });

describe('attack: a volunteer of one region who applies for a grant in another', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_group_region', { now: () => NOW, adminIds: [ADMIN] });
    await onboard(app, BOTH);
  }, 60_000);
  afterAll(async () => app?.close());

  it('keeps each group\'s region: volunteers of Astana, applicants of Karaganda', async () => {
    const { broadcasts, volunteers, grants } = app.bot.services;
    await volunteers.register(BOTH, BOTH, 'en', profile('astana'));
    await submitDirectly(grants, BOTH, IIN.adultA, { region: 'karaganda' });
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'astana' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'karaganda' })).toBe(0);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'karaganda' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'astana' })).toBe(0);

    // "My data" says which region each group's announcements go by.
    await app.command(BOTH, 'mydata');
    expect(app.drain(BOTH).join('\n')).toContain('Announcements to volunteers go by the region of your volunteer profile (Astana (city)), and those to applicants by that of your latest application (Karaganda Region).');
    await app.command(BOTH, 'cancel');
    app.drain(BOTH);

    // The other way round: the volunteer moves after applying; the application stays where it is.
    await volunteers.updateField(BOTH, 'region', 'abai');
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'abai' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'astana' })).toBe(0);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'karaganda' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'abai' })).toBe(0);

    // Leaving the volunteer list takes them out of volunteers' announcements, not applicants'.
    await volunteers.remove(BOTH);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'abai' })).toBe(0);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'karaganda' })).toBe(1);
  }, 60_000);

  it('fills each group\'s region in once for records of the version before', async () => {
    const { broadcasts, volunteers, grants } = app.bot.services;
    await onboard(app, OLDER);
    await volunteers.register(OLDER, OLDER, 'en', profile('turkistan'));
    await submitDirectly(grants, OLDER, IIN.adultB, { region: 'ulytau' });
    // As the version before wrote it: one region, the last given, and no group's own.
    const users = userModel(app.mongo);
    await users.updateOne({ telegramId: OLDER }, { $set: { region: 'ulytau' }, $unset: { volunteerRegion: 1, applicantRegion: 1 } });
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'turkistan' })).toBe(0);

    expect(await backfillVolunteerGroupRegions(app.mongo, startUpLocks(app))).toBe(1);
    expect(await backfillApplicantGroupRegions(app.mongo, startUpLocks(app))).toBe(1);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'turkistan' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'applicants', region: 'ulytau' })).toBe(1);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'ulytau' })).toBe(0);
    expect(await backfillVolunteerGroupRegions(app.mongo, startUpLocks(app))).toBe(0);
    expect(await backfillApplicantGroupRegions(app.mongo, startUpLocks(app))).toBe(0);
  }, 60_000);
});
