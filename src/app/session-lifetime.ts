import type { SceneState } from '../engine/types.js';
import { lifetimeMs } from '../engine/engine.js';
import type { Registry } from './registry.js';
import type { Session } from './types.js';

/**
 * How long Redis keeps a stored session: SESSION_TTL_S, unless it holds the answers of a form
 * that is not finished (an IIN, a phone, a family's circumstances). Those are dropped from the
 * session when it is next read after the form's deadline, but a person who walked away may never
 * come back, so the key itself must expire:
 *
 * - with a long form open or kept as a draft: at the latest deadline of the forms it holds (the
 *   draft's 7 days after its last answer), and at least an hour after this input, so a person
 *   still at the keyboard never loses the session under their hands when a draft runs out;
 * - with only a short form open (30 to 60 minutes): a draft's lifetime after this input, because
 *   its own deadline would drop the session after a coffee break;
 * - with no form: SESSION_TTL_S.
 *
 * Why not keep the rest of the session longer: Redis can only expire the whole key, and what a
 * fresh session costs was weighed. It holds the chosen language, the last centre search and the
 * "your form expired" notice. The language is also on the user record once picked, and a fresh
 * session takes it from there (routing/navigation.ts `restoreLanguage`), so after a week of
 * silence the person only searches afresh; the form's answers would have been dropped by then
 * anyway. Keeping an IIN three weeks past its draft to spare that is the worse bargain.
 */

/** A session is never set to expire sooner than this after the update that stored it. */
const AT_THE_KEYBOARD_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

function isLongForm(registry: Registry, form: SceneState): boolean {
  return Boolean(registry.scenes.get(form.id)?.draftDays);
}

/** The longest a draft is kept (the grant application's 7 days), for forms too short to keep one. */
function draftLifetimeMs(registry: Registry): number {
  let longest = 0;
  for (const scene of registry.scenes.values()) if (scene.draftDays) longest = Math.max(longest, lifetimeMs(scene));
  return longest || 7 * DAY_MS;
}

/** Seconds to keep the session stored now (`nowMs`), at most `maxS` (SESSION_TTL_S). */
export function sessionTtlS(session: Session, registry: Registry, nowMs: number, maxS: number): number {
  const forms = [session.scene, ...Object.values(session.drafts ?? {})].filter((form): form is SceneState => form !== undefined);
  if (forms.length === 0) return maxS;
  const until = forms.some((form) => isLongForm(registry, form))
    ? Math.max(nowMs + AT_THE_KEYBOARD_MS, ...forms.map((form) => form.expiresAt))
    : nowMs + draftLifetimeMs(registry);
  return Math.min(maxS, Math.max(1, Math.ceil((until - nowMs) / 1000)));
}
