import type { InlineButton, Locale } from '../../telegram/types.js';
import type { Translate } from '../../i18n/index.js';
import { formatKzDate, formatKzDateTime } from '../../domain/kz-time.js';
import { formatTenge } from '../../domain/money.js';
import { grantCallbacks } from './callbacks.js';
import type { GrantApplicationRecord, GrantHistoryEntry } from './grant-application.model.js';

export const moreInfoCallback = (ref: string): string => grantCallbacks.encode.moreInfo({ ref });

/** A status-change notice in the recipient's language, with an answer button when staff asked a question. */
export function grantStatusNotice(
  t: Translate,
  _locale: Locale,
  record: Pick<GrantApplicationRecord, 'ref' | 'programme'>,
  entry: GrantHistoryEntry,
): { text: string; buttons?: InlineButton[][] } {
  const lines = [
    t('grant:notice.status', { ref: record.ref, programme: t(`grant:programme.${record.programme}`), status: t(`grant:status.${entry.status}`) }),
  ];
  if (entry.comment) lines.push(t(entry.status === 'rejected' ? 'grant:notice.reason' : 'grant:notice.comment', { comment: entry.comment }));
  lines.push(t(`grant:notice.next.${entry.status}`));
  const text = lines.join('\n\n');
  if (entry.status !== 'more-info') return { text };
  return { text, buttons: [[{ text: t('grant:notice.answer-button'), data: moreInfoCallback(record.ref) }]] };
}

/** One history line: "12.03.2026 14:30 — In review: comment". */
export function historyLine(t: Translate, locale: Locale, entry: GrantHistoryEntry): string {
  const when = formatKzDateTime(new Date(entry.at), locale);
  const status = t(`grant:status.${entry.status}`);
  const note = entry.comment ? ` — ${entry.comment}` : entry.answer ? ` — ${t('grant:mine.your-answer')}` : '';
  return `  ${when} · ${status}${note}`;
}

/** An application as its applicant sees it in "My applications". */
export function applicationForApplicant(t: Translate, locale: Locale, record: GrantApplicationRecord): string {
  const head = t('grant:mine.item', {
    ref: record.ref,
    programme: t(`grant:programme.${record.programme}`),
    amount: formatTenge(record.amount, locale),
    date: formatKzDate(new Date(record.history[0]?.at ?? Date.now()), locale),
    status: t(`grant:status.${record.status}`),
  });
  const history = record.history.map((entry) => historyLine(t, locale, entry));
  return [head, t('grant:mine.history'), ...history].join('\n');
}
