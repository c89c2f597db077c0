import { LOCALES, type Input } from '../../telegram/types.js';
import { choiceErrorKey, matchTyped } from '../../engine/options.js';
import { matchMenuEntry, menuEntries, namesWhole, renderStaffMenu, runEntry, staffEntries, STAFF_MENU_ID, typedEntry } from '../menu.js';
import type { Registry } from '../registry.js';
import type { HandlerContext, MenuEntry } from '../types.js';
import { denied } from './scene-access.js';
import type { SceneDispatch } from './scene-dispatch.js';

/** Input outside any form: menu taps, typed menu picks, the draft offer, free questions. */
export interface MenuInput {
  tapped(ctx: HandlerContext, id: string): Promise<void>;
  typed(ctx: HandlerContext, input: Input): Promise<void>;
}

export function createMenuInput(registry: Registry, scenes: SceneDispatch): MenuInput {
  async function runMenuEntry(ctx: HandlerContext, entry: MenuEntry): Promise<void> {
    if (entry.id === STAFF_MENU_ID) {
      ctx.session.data = { ...ctx.session.data, menu: 'staff' };
      ctx.reply(await renderStaffMenu(registry, ctx));
      return;
    }
    await runEntry(entry, ctx);
  }

  async function tapped(ctx: HandlerContext, id: string): Promise<void> {
    const entries = [...(await menuEntries(registry, ctx)), ...(await staffEntries(registry, ctx))];
    const entry = entries.find((e) => e.id === id);
    if (!entry) {
      // A staff button left on screen from before the member's access changed.
      const gated = [...registry.menu, ...registry.staffMenu].find((e) => e.id === id && (e.permission || e.roles));
      if (gated) {
        await denied(ctx, gated.permission, `menu:${id}`);
        ctx.reply({ kind: 'text', text: ctx.t('errors:access-withdrawn') });
        return ctx.showMenu();
      }
      ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
      return ctx.showMenu();
    }
    // A tap on an old menu while a form is open: keep the form, as Menu would.
    if (ctx.session.scene) scenes.leaveQuietly(ctx);
    await runMenuEntry(ctx, entry);
  }

  async function matchStaffEntry(ctx: HandlerContext, typed: string): Promise<MenuEntry | null> {
    const entries = await staffEntries(registry, ctx);
    const picked = matchTyped(
      typed,
      entries.map((e) => typedEntry(e, ctx)),
    );
    return picked ? (entries.find((e) => e.id === picked.value) ?? null) : null;
  }

  /** A feature that reads a guess at a menu entry as its own answer now (an open question to an operator). */
  async function guessTaken(ctx: HandlerContext): Promise<boolean> {
    for (const takes of registry.takesTypedGuesses) if (await takes(ctx)) return true;
    return false;
  }

  async function typed(ctx: HandlerContext, input: Input): Promise<void> {
    if (ctx.session.resumeOffer && input.kind === 'text') {
      // Its words in any of the three languages, as at every question of a form.
      const others = LOCALES.filter((locale) => locale !== ctx.locale).map((locale) => ctx.tIn(locale));
      const shown = [
        { value: 'continue', label: ctx.t('common:draft.continue'), aliases: others.map((t) => t('common:draft.continue')), kazakh: ctx.tIn('kk')('common:draft.continue') },
        { value: 'restart', label: ctx.t('common:draft.restart'), aliases: others.map((t) => t('common:draft.restart')), kazakh: ctx.tIn('kk')('common:draft.restart') },
      ];
      const picked = matchTyped(input.text, shown);
      if (picked?.value === 'continue' || picked?.value === 'restart') return scenes.resume(ctx, picked.value);
    }
    if (input.kind === 'text') {
      const staffOpen = ctx.session.data?.menu === 'staff';
      const entry = staffOpen ? await matchStaffEntry(ctx, input.text) : await matchMenuEntry(registry, ctx, input.text);
      // A number, a name's beginning or one word of it may answer an operator's question instead.
      const guessed = entry !== null && !staffOpen && !namesWhole(entry, ctx, input.text);
      if (entry && !(guessed && (await guessTaken(ctx)))) return runMenuEntry(ctx, entry);
    }
    for (const answer of registry.freeText) if (await answer(ctx, input, false)) return;
    if (input.kind === 'text' && !/\p{L}/u.test(input.text)) {
      // No word in it ("7" past the menu's numbers, "👍", "..."): the menu's own question again.
      const count = (ctx.session.data?.menu === 'staff' ? await staffEntries(registry, ctx) : await menuEntries(registry, ctx)).length;
      ctx.reply({ kind: 'text', text: ctx.t(choiceErrorKey(count), { count }) });
      return ctx.showMenu();
    }
    const key = input.kind === 'unsupported' ? 'errors:unsupported-media-idle' : 'errors:not-understood';
    ctx.reply({ kind: 'text', text: ctx.t(key) });
    await ctx.showMenu();
  }

  return { tapped, typed };
}
