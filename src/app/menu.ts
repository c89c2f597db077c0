import { LOCALES, type InlineButton, type Reply } from '../telegram/types.js';
import { CB } from '../engine/callback-data.js';
import { numbered, matchTyped, type ShownOption } from '../engine/options.js';
import { normalizeForMatch } from '../domain/text.js';
import { permitted, type Registry } from './registry.js';
import type { HandlerContext, MenuEntry } from './types.js';

export const STAFF_MENU_ID = 'staff';

/** The entries this user may see, in order; staff and admins get the Staff entry too. */
export async function menuEntries(registry: Registry, ctx: HandlerContext): Promise<MenuEntry[]> {
  return filterEntries(registry.menu, ctx);
}

/** Staff entries this member may use now: by permission (their roles), else any staff access. */
export async function staffEntries(registry: Registry, ctx: HandlerContext): Promise<MenuEntry[]> {
  if ((await ctx.access()) === null) return [];
  return filterEntries(
    registry.staffMenu.map((entry) => (entry.permission || entry.roles ? entry : { ...entry, roles: ['staff' as const] })),
    ctx,
  );
}

async function filterEntries(entries: MenuEntry[], ctx: HandlerContext): Promise<MenuEntry[]> {
  const out: MenuEntry[] = [];
  for (const entry of entries) if (await permitted(ctx, entry)) out.push(entry);
  return out;
}

function entryButtons(entries: MenuEntry[], ctx: HandlerContext): InlineButton[][] {
  return entries.map((entry, index) => [{ text: numbered(index, ctx.t(entry.labelKey)), data: CB.menu(entry.id) }]);
}

export async function renderMenu(registry: Registry, ctx: HandlerContext): Promise<Reply> {
  const entries = await menuEntries(registry, ctx);
  return { kind: 'text', text: `${ctx.t('common:menu.title')}\n\n${ctx.t('common:hint.choice')}`, buttons: entryButtons(entries, ctx) };
}

export async function renderStaffMenu(registry: Registry, ctx: HandlerContext): Promise<Reply> {
  const entries = await staffEntries(registry, ctx);
  const buttons = entryButtons(entries, ctx);
  buttons.push([{ text: ctx.t('common:nav.menu'), data: CB.nav('menu') }]);
  return { kind: 'text', text: `${ctx.t('staff:menu.title')}\n\n${ctx.t('common:hint.choice')}`, buttons };
}

/** A typed number or label of the main menu, when no scene is open. */
export async function matchMenuEntry(registry: Registry, ctx: HandlerContext, typed: string): Promise<MenuEntry | null> {
  const entries = await menuEntries(registry, ctx);
  const picked = matchTyped(typed, entries.map((entry) => typedEntry(entry, ctx)));
  return picked ? (entries.find((e) => e.id === picked.value) ?? null) : null;
}

/** Whether `typed` is an entry's whole name, in any of the three languages (no number, beginning or key word). */
export function namesWhole(entry: MenuEntry, ctx: HandlerContext, typed: string): boolean {
  const { label, aliases = [] } = typedEntry(entry, ctx);
  const wanted = normalizeForMatch(typed);
  return [label, ...aliases].some((text) => normalizeForMatch(text) === wanted);
}

/** A menu entry as a typed answer: its label, and its label in the other two languages. */
export function typedEntry(entry: MenuEntry, ctx: HandlerContext): ShownOption {
  const aliases = LOCALES.filter((locale) => locale !== ctx.locale).map((locale) => ctx.tIn(locale)(entry.labelKey));
  // Kazakh puts the verb last: «Сұрақ қою» is asked for by its «қою» too (engine/key-words.ts).
  return { value: entry.id, label: ctx.t(entry.labelKey), aliases, kazakh: ctx.tIn('kk')(entry.labelKey) };
}

export async function runEntry(entry: MenuEntry, ctx: HandlerContext): Promise<void> {
  if (entry.scene) await ctx.startScene(entry.scene);
  else if (entry.run) await entry.run(ctx);
}
