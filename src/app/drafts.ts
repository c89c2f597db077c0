import type { Reply } from '../telegram/types.js';
import { CB } from '../engine/callback-data.js';
import { isExpired } from '../engine/engine.js';
import { numbered } from '../engine/options.js';
import type { SceneState } from '../engine/types.js';
import type { Scene } from '../engine/scene.js';
import { formatKzDate } from '../domain/kz-time.js';
import type { Registry } from './registry.js';
import type { HandlerContext } from './types.js';

/** Drafts from an older scene version, or past their time, are dropped with a word to the user. */
export function dropStale(registry: Registry, ctx: HandlerContext): Reply[] {
  const notices: Reply[] = [];
  const now = ctx.deps.now().getTime();
  const scene = ctx.session.scene;
  if (scene) {
    const def = registry.scenes.get(scene.id);
    if (!def || def.version !== scene.version) {
      delete ctx.session.scene;
      notices.push({ kind: 'text', text: ctx.t('common:scene.updated', { title: def ? ctx.t(def.titleKey) : '' }), keyboard: 'remove' });
    } else if (isExpired(scene, now)) {
      delete ctx.session.scene;
      notices.push({ kind: 'text', text: ctx.t('common:scene.expired', { title: ctx.t(def.titleKey) }), keyboard: 'remove' });
    }
  }
  for (const [id, draft] of Object.entries(ctx.session.drafts ?? {})) {
    const def = registry.scenes.get(id);
    if (!def || def.version !== draft.version || isExpired(draft, now)) delete ctx.session.drafts![id];
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
