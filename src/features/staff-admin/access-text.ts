import { isRegionKey, regionName } from '../../domain/regions.js';
import type { Access } from '../../app/access.js';
import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';

/**
 * A member's access in words, for the staff screens and for notices a service sends (no screen
 * context there, only a language and its texts).
 */
export interface Wording {
  t: Translate;
  locale: Locale;
}

export function regionsText(ctx: Wording, regions: string[] | null): string {
  if (regions === null) return ctx.t('staff:scope.all-regions');
  return regions.map((r) => (isRegionKey(r) ? regionName(r, ctx.locale) : r)).join(', ');
}

export function topicsText(ctx: Wording, topics: string[] | null): string {
  if (topics === null) return ctx.t('staff:scope.all-topics');
  return topics.map((t) => ctx.t(`staff:topic.${t}`)).join(', ');
}

/** "Reviewer of grant applications · Almaty Region" — one member's access in a line. */
export function accessText(ctx: Wording, access: Access): string {
  const roles = access.roles.map((r) => ctx.t(`staff:role.${r}`)).join(', ');
  if (access.roles.includes('admin')) return roles;
  const parts = [roles, ctx.t('staff:scope.regions', { regions: regionsText(ctx, access.regions) })];
  if (access.roles.includes('operator')) parts.push(ctx.t('staff:scope.topics', { topics: topicsText(ctx, access.topics) }));
  return parts.join(' · ');
}
