import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';
import { maskPhone } from '../../domain/phone.js';
import { spokenMask } from '../../i18n/spoken.js';
import { formatKzDate, formatKzDateTime } from '../../domain/kz-time.js';
import { regionLabel, skillsLabel } from './mission-texts.js';
import type { VolunteerProfile } from './volunteers.service.js';
import type { HoursSummary, VolunteerMission } from './mission-types.js';

/** The profile as its owner sees it: the phone masked, lists in words. */
export function profileText(t: Translate, locale: Locale, p: VolunteerProfile): string {
  return t('volunteer:profile.text', {
    name: p.fullName,
    age: p.age,
    phone: spokenMask(t, maskPhone(p.phone)),
    region: regionLabel(p.region, locale),
    areas: p.areas.map((a) => t(`volunteer:areas.${a}`)).join(', '),
    availability: p.availability.map((a) => t(`volunteer:availability-options.${a}`)).join(', '),
    skills: skillsLabel(t, p.skills),
    invitations: t(p.paused ? 'volunteer:profile.paused' : 'volunteer:profile.active'),
  });
}

export function hoursText(t: Translate, locale: Locale, h: HoursSummary): string {
  if (h.missions.length === 0) return t('volunteer:hours.none');
  const lines = h.missions.map((m) => t('volunteer:hours.line', { title: m.title, date: formatKzDate(m.startsAt, locale), count: m.hours }));
  return [t('volunteer:hours.total', { count: h.total }), t('volunteer:hours.year', { count: h.thisYear }), '', ...lines].join('\n');
}

export function upcomingText(t: Translate, locale: Locale, list: VolunteerMission[]): string {
  if (list.length === 0) return t('volunteer:upcoming.none');
  const lines = list.map((m) =>
    t(m.status === 'accepted' ? 'volunteer:upcoming.accepted' : 'volunteer:upcoming.waiting', {
      title: m.mission.title,
      start: formatKzDateTime(new Date(m.mission.startsAt), locale),
      position: m.position ?? 0,
    }),
  );
  return [t('volunteer:upcoming.title'), ...lines].join('\n');
}

/** A volunteer's page of missions ahead and hours earned (/myhours and the volunteer page). */
export function missionsAndHoursText(t: Translate, locale: Locale, upcoming: VolunteerMission[], hours: HoursSummary): string {
  return `${upcomingText(t, locale, upcoming)}\n\n${hoursText(t, locale, hours)}`;
}

/** Telegram stops at 4096 characters; long rosters go out in several messages. */
export function chunkLines(lines: string[], limit = 3500): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > limit) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}
