import type { Reply } from '../telegram/types.js';
import { CB } from '../engine/callback-data.js';
import { isExpired } from '../engine/engine.js';
import { numbered } from '../engine/options.js';
import type { SceneState } from '../engine/types.js';
import type { Scene } from '../engine/scene.js';
import { formatKzDate } from '../domain/kz-time.js';
import type { Registry } from './registry.js';
import type { HandlerContext } from './types.js';

/**
 * A stored form this code can no longer continue: its scene is gone, its version changed, or a
 * step it stands on or would go Back to was removed without a version bump. Carrying on would
 * fail on every input, so it is dropped like an older version.
 */
function outdated(def: Scene | undefined, state: SceneState): boolean {
  if (!def || def.version !== state.version) return true;
  return [state.step, ...state.history].some((step) => def.stepKind(step) === undefined);
}

/** Drafts from an older scene version, or past their time, are dropped with a word to the user. */
export function dropStale(registry: Registry, ctx: HandlerContext): Reply[] {
  const notices: Reply[] = [];
  const now = ctx.deps.now().getTime();
  const scene = ctx.session.scene;
  if (scene) {
    const def = registry.scenes.get(scene.id);
    if (!def || outdated(def, scene)) {
      delete ctx.session.scene;
      const text = def ? ctx.t('common:scene.updated', { title: ctx.t(def.titleKey) }) : ctx.t('common:scene.updated-unnamed');
      notices.push({ kind: 'text', text, keyboard: 'remove' });
    } else if (isExpired(scene, now)) {
      delete ctx.session.scene;
      notices.push({ kind: 'text', text: ctx.t('common:scene.expired', { title: ctx.t(def.titleKey) }), keyboard: 'remove' });
    }
  }
  for (const [id, draft] of Object.entries(ctx.session.drafts ?? {})) {
    const def = registry.scenes.get(id);
    if (outdated(def, draft) || isExpired(draft, now)) delete ctx.session.drafts![id];
  }
  return notices;
}

/** "You have an unfinished form from <date>: continue or start again?" */
export function draftOffer(ctx: HandlerContext, def: Scene, draft: SceneState): Reply {
  return {
    kind: 'text',
    text: ctx.t('common:draft.offer', { title: ctx.t(def.titleKey), date: formatKzDate(new Date(draft.touchedAt), ctx.locale) }),
    buttons: [
      [{ text: numbered(0, ctx.t('common:draft.continue')), data: CB.resume('continue') }],
      [{ text: numbered(1, ctx.t('common:draft.restart')), data: CB.resume('restart') }],
    ],
  };
}
