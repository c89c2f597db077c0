import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SceneContext } from '../../src/engine/context.js';
import { LOCALES, type Locale, type Reply } from '../../src/telegram/types.js';
import type { BroadcastTexts } from '../../src/features/broadcast/broadcast-render.js';
import { LANGUAGE_NAMES } from '../../src/domain/languages.js';

/** Digests of the texts already previewed in this compose scene, by language (an answer the scene keeps). */
export const previewedTexts = z.partialRecord(z.enum(LOCALES), z.string());
export type PreviewedTexts = z.output<typeof previewedTexts>;

// A digest, not the text: the scene only needs to tell whether a text changed.
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

/**
 * The preview of each text, exactly as its recipients will get it, unless that same text was
 * already previewed in this scene. The summary is shown again after Back, on "Change an
 * answer" and after every change; repeating long announcements each time would bury the
 * summary, so only a text that is new or was changed is shown again. A mistake typed at the
 * summary asks it again without any preview (the previews are sent on entering the step).
 */
export function previews(ctx: SceneContext, texts: BroadcastTexts, languages: Locale[], shown: PreviewedTexts = {}): { replies: Reply[]; previewed: PreviewedTexts } {
  const replies: Reply[] = [];
  const previewed: PreviewedTexts = {};
  for (const locale of languages) {
    const text = texts[locale];
    if (!text) continue;
    previewed[locale] = digest(text);
    if (shown[locale] === previewed[locale]) continue;
    replies.push(
      { kind: 'text', text: ctx.t('broadcast:preview.heading', { language: LANGUAGE_NAMES[locale] }) },
      { kind: 'text', text: ctx.deps.services.broadcasts.render(locale, text) },
    );
  }
  return { replies, previewed };
}
