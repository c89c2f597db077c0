import type { Feature, PersonalDataSection } from '../../app/types.js';
import { formatKzDate } from '../../domain/kz-time.js';
import { LANGUAGE_NAMES } from '../../domain/languages.js';
import { isRegionKey, regionName } from '../../domain/regions.js';
import { myDataScene } from '../../../scenes/my-data/my-data.js';

/** The account itself: language, announcements setting and their region, role, and unfinished forms. */
const accountSection: PersonalDataSection = {
  id: 'account',
  async describe(ctx) {
    const user = await ctx.deps.services.users.get(ctx.meta.userId);
    const lines = [
      ctx.t('common:mydata.account', {
        id: ctx.meta.userId,
        language: LANGUAGE_NAMES[ctx.locale],
        since: user?.createdAt ? formatKzDate(new Date(user.createdAt), ctx.locale) : '—',
      }),
      ctx.t(user?.announcements === false ? 'common:mydata.announcements-off-state' : 'common:mydata.announcements-on-state'),
    ];
    // Kept from the latest application or the volunteer profile: announcements to a region use it.
    const named = (region: string) => (isRegionKey(region) ? regionName(region, ctx.locale) : region);
    if (user?.region) lines.push(ctx.t('common:mydata.region', { region: named(user.region) }));
    // Someone who volunteers in one region and applied in another gets each group's announcements by its own.
    if (user?.volunteerRegion && user.applicantRegion && user.volunteerRegion !== user.applicantRegion) {
      lines.push(ctx.t('common:mydata.region-groups', { volunteer: named(user.volunteerRegion), applicant: named(user.applicantRegion) }));
    }
    if (user?.role === 'staff') lines.push(ctx.t('common:mydata.staff-role'));
    const drafts = Object.keys(ctx.session.drafts ?? {}).length;
    if (drafts > 0) lines.push(ctx.t('common:mydata.drafts', { count: drafts }));
    return lines;
  },
  async erase() {
    // The user record itself is deleted last by the scene; nothing here must be kept.
    return { keptByLaw: [], notDeleted: [] };
  },
};

export function myDataFeature(others: Feature[]): Feature {
  const sections = [accountSection, ...others.flatMap((f) => f.personalData ?? [])];
  return {
    id: 'my-data',
    scenes: [myDataScene(sections)],
    menu: [{ id: 'my-data', labelKey: 'common:menu.my-data', order: 80, scene: 'my-data' }],
    commands: [{ command: 'mydata', descriptionKey: 'common:commands.mydata', run: (ctx) => ctx.startScene('my-data') }],
  };
}
