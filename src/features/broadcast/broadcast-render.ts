import type { I18n } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';
import type { BroadcastRecord } from './broadcast.model.js';

export type BroadcastTexts = Partial<Record<Locale, string>>;

/** The user's own language if the staff wrote it, otherwise the fallback the staff chose. */
export function pickLanguage(texts: BroadcastTexts, fallback: Locale, userLocale: string | undefined): Locale {
  const own = userLocale as Locale | undefined;
  return own && texts[own] ? own : fallback;
}

/**
 * Exactly what a recipient gets: the text plus one line, in the same language, on how to turn
 * announcements off. The preview uses this too, so staff see what people will see.
 */
export function renderAnnouncement(i18n: I18n, locale: Locale, text: string): string {
  return `${text}\n\n${i18n.t(locale)('broadcast:footer')}`;
}

export interface BroadcastFigures {
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  skipped: number;
}

export function figuresOf(doc: Pick<BroadcastRecord, 'total' | 'sent' | 'failed' | 'blocked' | 'skipped'>): BroadcastFigures {
  return { total: doc.total ?? 0, sent: doc.sent ?? 0, failed: doc.failed ?? 0, blocked: doc.blocked ?? 0, skipped: doc.skipped ?? 0 };
}

export function processed(f: BroadcastFigures): number {
  return f.sent + f.failed + f.blocked + f.skipped;
}

/** "▓▓▓▓░░░░░░ 40%": ten cells, so it reads the same on a narrow old phone. */
export function progressBar(done: number, total: number): { bar: string; percent: number } {
  const percent = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
  const cells = Math.round(percent / 10);
  return { bar: `${'▓'.repeat(cells)}${'░'.repeat(10 - cells)} ${percent}%`, percent };
}

/** The start of an announcement on one line, for summaries and the history list. */
export function snippet(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Which text of a broadcast to quote to a staff member: theirs if written, else the fallback. */
export function textFor(texts: Partial<Record<Locale, string | null>> | null | undefined, fallback: string, locale: Locale): string {
  return texts?.[locale] ?? texts?.[fallback as Locale] ?? '';
}
