import type { SceneContext } from '../engine/context.js';
import type { HandlerContext } from './types.js';

const views = new WeakMap<HandlerContext, SceneContext>();

/**
 * The engine's view of an update: one object per update (so per-update caches keyed by it hold),
 * following the context's language when the user changes it mid-update. It reaches no reply
 * queue, router or writable session: scene hooks act only through what they return.
 */
export function sceneView(ctx: HandlerContext): SceneContext {
  let view = views.get(ctx);
  if (!view) {
    const { meta, deps } = ctx;
    view = {
      meta,
      get locale() {
        return ctx.locale;
      },
      get t() {
        return ctx.t;
      },
      tIn: (locale) => ctx.tIn(locale),
      deps: {
        services: deps.services,
        now: deps.now,
        config: deps.config,
        logger: deps.logger,
        delivery: deps.delivery,
        redis: deps.redis,
        ...(deps.telegram ? { telegram: deps.telegram } : {}),
        ...(deps.botUsername ? { botUsername: deps.botUsername } : {}),
      },
      access: () => ctx.access(),
      role: () => ctx.role(),
      session: {
        get data() {
          return ctx.session.data;
        },
        get drafts() {
          return ctx.session.drafts;
        },
      },
    };
    views.set(ctx, view);
  }
  return view;
}
