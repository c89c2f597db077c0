import type { Input, Locale, Reply, UpdateMeta } from '../telegram/types.js';
import { localeFromTelegram, type I18n } from '../i18n/index.js';
import { renderMenu } from './menu.js';
import type { Registry } from './registry.js';
import type { Router } from './router.js';
import type { AppDeps, HandlerContext, Role, Session } from './types.js';
import type { Access } from './access.js';

export interface BuiltContext {
  ctx: HandlerContext;
  replies: Reply[];
}

/** One context per update; replies collect here and are sent by the runtime afterwards. */
export function buildContext(
  meta: UpdateMeta,
  session: Session,
  deps: AppDeps,
  i18n: I18n,
  registry: Registry,
  router: Router,
): BuiltContext {
  const replies: Reply[] = [];
  const locale: Locale = session.locale ?? localeFromTelegram(meta.languageCode, deps.config.DEFAULT_LOCALE);
  // One read per update: every check within this update sees the same answer.
  let accessCache: Promise<Access | null> | undefined;
  let roleCache: Promise<Role> | undefined;

  const ctx: HandlerContext = {
    meta,
    locale,
    t: i18n.t(locale),
    tIn: (other) => i18n.t(other),
    session,
    deps,
    access() {
      accessCache ??= deps.services.access.get(meta.userId);
      return accessCache;
    },
    role() {
      roleCache ??= (async () => {
        if (deps.config.ADMIN_IDS.includes(meta.userId)) return 'admin';
        const access = await ctx.access();
        if (!access) return 'citizen';
        return access.roles.includes('admin') ? 'admin' : 'staff';
      })();
      return roleCache;
    },
    reply(...more) {
      replies.push(...more);
    },
    startScene(sceneId, seed) {
      return router.enterScene(ctx, sceneId, seed);
    },
    async showMenu() {
      if (session.data?.menu) {
        const { menu: _menu, ...rest } = session.data;
        session.data = rest;
      }
      replies.push(await renderMenu(registry, ctx));
    },
  };
  return { ctx, replies };
}

export type { Input };
