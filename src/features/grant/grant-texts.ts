import { awaitsConfirmation } from './grant-confirmation.js';
import type { Locale, Reply } from '../../telegram/types.js';
import type { Translate } from '../../i18n/index.js';
import { formatKzDate } from '../../domain/kz-time.js';
import { spokenMask } from '../../i18n/spoken.js';
import { formatPhone } from '../../domain/phone.js';
import { formatTenge } from '../../domain/money.js';
import { centreCityName, isRegionKey, regionName } from '../../domain/regions.js';
import type { GrantApplicationRecord } from './grant-application.model.js';
import { applicationForApplicant, historyLine, moreInfoCallback } from './grant-notices.js';
import { cityOnlyLimit, maxAmount } from './programmes.js';

/** Texts about an application for staff, in the reader's language. */

export function regionLabel(region: string, locale: Locale): string {
  return isRegionKey(region) ? regionName(region, locale) : region;
}

/** One line of the staff list, in the message text: everything a reviewer needs to pick. */
export function reviewListLine(t: Translate, locale: Locale, record: GrantApplicationRecord): string {
  const date = formatKzDate(new Date(record.history[0]?.at ?? Date.now()), locale);
  const line = `${record.ref} · ${t(`grant:programme.${record.programme}`)} · ${formatTenge(record.amount, locale)} · ${t(`grant:status.${record.status}`)} · ${date}`;
  return awaitsConfirmation(record) ? `${line}\n   ${t('grant:review.awaits-confirmation-short')}` : line;
}

/** The button of the same application: short enough for one line on a phone (docs/style-guide.md). */
export function reviewListLabel(_t: Translate, locale: Locale, record: GrantApplicationRecord): string {
  return `${record.ref} · ${formatTenge(record.amount, locale, 'short')}`;
}

/** The whole application for a reviewer; `iin` is already masked unless an admin asked. */
export function reviewDetails(t: Translate, locale: Locale, record: GrantApplicationRecord, iin: string, phone: string): string {
  // Staff read the groups in the third person ("the applicant has a disability"), not as the
  // applicant's own first-person answers.
  const groups = record.groups.map((g) => t(`grant:group-staff.${g}`)).join(', ') || '—';
  const head = t('grant:review.details', {
    ref: record.ref,
    programme: t(`grant:programme.${record.programme}`),
    status: t(`grant:status.${record.status}`),
    name: record.name ?? '—',
    iin: spokenMask(t, iin),
    phone: phone ? formatPhone(phone) : '—',
    region: regionLabel(record.region, locale),
    groups,
    members: record.members,
    children: record.children,
    sector: t(`grant:sector-option.${record.sector}`),
    amount: formatTenge(record.amount, locale),
    certificate: record.certificateYear ?? '—',
    idea: record.idea ?? '—',
  });
  const note = cityLimitNote(t, locale, record);
  const history = record.history.map((entry) => {
    const line = historyLine(t, locale, entry);
    return entry.answer ? `${line}\n    ${t('grant:review.answer', { answer: entry.answer })}` : line;
  });
  const confirmation = awaitsConfirmation(record) ? [t('grant:review.awaits-confirmation')] : [];
  // Name, phone and idea show as "—" then: the reviewer must know why, and that no question reaches them.
  const erased = record.erasedAt ? [t('grant:review.erased', { date: formatKzDate(new Date(record.erasedAt), locale) })] : [];
  return [head, ...(note ? [note] : []), ...erased, t('grant:mine.history'), ...history, ...confirmation].join('\n');
}

/**
 * A microloan in Mangystau or Atyrau region above the limit for the rest of the region: the higher
 * limit is for the cities Aktau and Atyrau only, and the bot does not ask for the town, so the
 * reviewer is told to check where the family lives.
 */
function cityLimitNote(t: Translate, locale: Locale, record: GrantApplicationRecord): string | null {
  if (record.programme !== 'microloan' || !isRegionKey(record.region) || !cityOnlyLimit('microloan', record.region)) return null;
  const outside = maxAmount('microloan', undefined, record.mci);
  if (record.amount <= outside) return null;
  return t('grant:review.city-limit', { city: centreCityName(record.region, locale), limit: formatTenge(outside, locale) });
}

/** "My applications": each application with its status and history, in the reader's language. */
export function myApplicationsReplies(t: Translate, locale: Locale, records: GrantApplicationRecord[]): Reply[] {
  if (records.length === 0) return [{ kind: 'text', text: t('grant:mine.none') }];
  const replies: Reply[] = [{ kind: 'text', text: t('grant:mine.title', { count: records.length }) }];
  for (const record of records) {
    const text = applicationForApplicant(t, locale, record);
    const waiting = record.status === 'more-info' && record.userId;
    replies.push(
      waiting
        ? { kind: 'text', text: `${text}\n\n${t('grant:mine.answer-hint')}`, buttons: [[{ text: t('grant:notice.answer-button'), data: moreInfoCallback(record.ref) }]] }
        : { kind: 'text', text },
    );
  }
  return replies;
}
