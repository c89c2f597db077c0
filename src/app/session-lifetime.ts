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
 * - with a long form open or kept as a draft: at its deadline (the draft's 7 days after its last
 *   answer), whatever else the session holds. Nothing else keeps it longer: a short form open
 *   beside it, or an hour for a person still at the keyboard, kept a draft's IIN in Redis up to
 *   an hour past the draft (test/grant/draft-retention.test.ts). What goes with it at that
 *   moment is what the person was doing in the draft's last minutes (a short form, a search's
 *   pages), and only if they were doing it right then: the draft itself is dropped at that same
 *   deadline by the next read anyway;
 * - with only a short form open (30 to 60 minutes): a draft's lifetime after this input, because
 *   its own deadline would drop the session after a coffee break;
 * - with no form: SESSION_TTL_S.
 *
 * Why not keep the rest of the session longer: Redis can only expire the whole key, and what a
 * fresh session costs was weighed. It holds the chosen language, the last centre search and the
 * "your form expired" notice. The language is also on the user record once picked, and a fresh
 * session takes it from there (routing/navigation.ts `restoreLanguage`), so after a week of
 * silence the person only searches afresh; the form's answers would have been dropped by then
 * anyway. Keeping an IIN past its draft to spare that is the worse bargain.
 */

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
  const long = forms.filter((form) => isLongForm(registry, form));
  // One form keeps drafts today (the grant application), so this is its deadline. A second kind
  // would need its drafts kept apart: the later deadline here keeps the earlier draft's answers.
  const until = long.length > 0 ? Math.max(...long.map((form) => form.expiresAt)) : nowMs + draftLifetimeMs(registry);
  return Math.min(maxS, Math.max(1, Math.ceil((until - nowMs) / 1000)));
}
