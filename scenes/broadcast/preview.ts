import { createHash } from 'node:crypto';
import type { StepContext } from '../../src/engine/types.js';
import type { Locale } from '../../src/telegram/types.js';
import type { BroadcastTexts } from '../../src/features/broadcast/broadcast-render.js';
import { LANGUAGE_NAMES } from '../../src/domain/languages.js';

/** Session key (under `session.data`) of the texts already previewed in this compose scene. */
const SHOWN_KEY = 'broadcastPreviews';


// A digest, not the text: the session only needs to tell whether a text changed.
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

function shownSoFar(ctx: StepContext): Record<string, string> {
  const value = ctx.session.data?.[SHOWN_KEY];
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}

/** A new compose scene previews every text again, even one identical to last time's. */
export function forgetPreviews(ctx: StepContext): void {
  if (!ctx.session.data || !(SHOWN_KEY in ctx.session.data)) return;
  const { [SHOWN_KEY]: _shown, ...rest } = ctx.session.data;
  ctx.session.data = rest;
}

/**
 * Sends the preview of each text, exactly as its recipients will get it, unless that same text
 * was already previewed in this scene. The summary is shown again after a typing mistake, on
 * Back, on "Change an answer" and after every change; repeating long announcements each time
 * would bury the summary, so only a text that is new or was changed is shown again.
 */
export function sendPreviews(ctx: StepContext, texts: BroadcastTexts, languages: Locale[]): void {
  const shown = shownSoFar(ctx);
  const now: Record<string, string> = {};
  for (const locale of languages) {
    const text = texts[locale];
    if (!text) continue;
    now[locale] = digest(text);
    if (shown[locale] === now[locale]) continue;
    ctx.reply(
      { kind: 'text', text: ctx.t('broadcast:preview.heading', { language: LANGUAGE_NAMES[locale] }) },
      { kind: 'text', text: ctx.deps.services.broadcasts.render(locale, text) },
    );
  }
  ctx.session.data = { ...ctx.session.data, [SHOWN_KEY]: now };
}
