import type { Input, Locale, Reply } from '../telegram/types.js';
import { LOCALES } from '../telegram/types.js';
import { parseCallback } from '../engine/callback-data.js';
import { goBack, handleInput, present, startScene } from '../engine/engine.js';
import { matchTyped } from '../engine/options.js';
import type { EngineOutcome, SceneDef, SceneState } from '../engine/types.js';
import { normalizeForMatch } from '../domain/text.js';
import { permitted, type Registry } from './registry.js';
import { allows, type Permission } from './access.js';
import { matchMenuEntry, menuEntries, renderStaffMenu, runEntry, staffEntries, STAFF_MENU_ID } from './menu.js';
import type { HandlerContext, MenuEntry } from './types.js';
import { languagePicker, pickedLanguage } from './language-picker.js';
import { draftOffer, dropStale } from './drafts.js';
import type { I18n } from '../i18n/index.js';

/**
 * Decides what an input means before the engine sees it: navigation (Back, Cancel, Menu,
 * Language) works at every step, commands and feature buttons go to their handlers, and
 * everything else answers the current question or picks from the menu.
 */
export interface Router {
  route(ctx: HandlerContext, input: Input): Promise<void>;
  /** Used by HandlerContext.startScene. */
  enterScene(ctx: HandlerContext, sceneId: string, seed?: Record<string, unknown>): Promise<void>;
}

type Nav = 'back' | 'cancel' | 'menu' | 'language';
const NAV: Nav[] = ['back', 'cancel', 'menu', 'language'];
const NAV_COMMANDS: Record<string, Nav> = { cancel: 'cancel', menu: 'menu', language: 'language' };

/**
 * A typed text at a step that wants a tap (choice, consent, confirm, location, phone) that picks
 * no option and reads like a question. Typed answers to text, number and date steps are always
 * answers, never questions.
 */
function isQuestionAtTapStep(def: SceneDef, scene: SceneState, text: string): boolean {
  const step = def.steps.find((s) => s.id === scene.step);
  if (!step || step.kind === 'text' || step.kind === 'number' || step.kind === 'date') return false;
  if (matchTyped(text, scene.shown ?? [])) return false;
  return text.includes('?') || text.trim().split(/\s+/).length >= 4;
}

export function createRouter(registry: Registry, i18n: I18n): Router {
  // Typed navigation words in any of the three languages ("Артқа", "Назад", "Back"...).
  const navWords = new Map<string, Nav>();
  for (const locale of LOCALES) {
    for (const nav of NAV) navWords.set(normalizeForMatch(i18n.t(locale)(`common:nav.${nav}`)), nav);
  }

  /** Counters of where people give up: a step reached, a scene finished (see Feature.sceneEvents). */
  async function sceneEvent(ctx: HandlerContext, before: SceneState | undefined, outcome: EngineOutcome): Promise<void> {
    if (registry.sceneEvents.length === 0) return;
    const state = outcome.state;
    const event = state
      ? before?.id === state.id && before.step === state.step ? undefined : { scene: state.id, step: state.step }
      : outcome.ended === 'completed' && before ? { scene: before.id, step: 'finished' } : undefined;
    if (!event) return;
    for (const listener of registry.sceneEvents) {
      // Counters must never cost a user their answer.
      await listener(ctx, event).catch((err: unknown) => ctx.deps.logger.warn({ err }, 'scene event listener failed'));
    }
  }

  async function apply(ctx: HandlerContext, outcome: EngineOutcome, ended?: SceneState, mark?: number): Promise<void> {
    await sceneEvent(ctx, ended ?? ctx.session.scene, outcome);
    if (outcome.state) {
      ctx.reply(...outcome.replies);
      ctx.session.scene = outcome.state;
      return;
    }
    // complete() may have started the next scene (e.g. a result list after a search): keep it,
    // and put the finished scene's own replies before the next scene's first question.
    if (ended && ctx.session.scene && ctx.session.scene !== ended) {
      ctx.replyAt(mark ?? 0, ...outcome.replies);
      return;
    }
    ctx.reply(...outcome.replies);
    const sceneId = ctx.session.scene?.id;
    delete ctx.session.scene;
    if (sceneId && ctx.session.drafts) delete ctx.session.drafts[sceneId];
    if (outcome.ended === 'menu') return leaveToMenu(ctx, sceneId);
    if (outcome.showMenu ?? true) await ctx.showMenu();
  }

  /** Menu from inside a scene: long forms keep a draft, short ones are simply left. */
  async function leaveToMenu(ctx: HandlerContext, sceneId = ctx.session.scene?.id): Promise<void> {
    const scene = ctx.session.scene;
    const def = scene ? registry.scenes.get(scene.id) : undefined;
    if (scene && def?.draftDays) {
      ctx.session.drafts = { ...ctx.session.drafts, [scene.id]: scene };
      ctx.reply({ kind: 'text', text: ctx.t('common:draft.saved', { title: ctx.t(def.titleKey), count: def.draftDays }), keyboard: 'remove' });
    } else if (sceneId) {
      ctx.reply({ kind: 'text', text: ctx.t('common:scene.left'), keyboard: 'remove' });
    }
    delete ctx.session.scene;
    await ctx.showMenu();
  }

  async function cancel(ctx: HandlerContext): Promise<void> {
    const scene = ctx.session.scene;
    if (scene) {
      if (ctx.session.drafts) delete ctx.session.drafts[scene.id];
      delete ctx.session.scene;
      ctx.reply({ kind: 'text', text: ctx.t('common:scene.cancelled'), keyboard: 'remove' });
    } else {
      ctx.reply({ kind: 'text', text: ctx.t('common:nothing-to-cancel') });
    }
    await ctx.showMenu();
  }

  async function repeatQuestion(ctx: HandlerContext, before: Reply[] = []): Promise<void> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def) {
      ctx.reply(...before);
      await ctx.showMenu();
      return;
    }
    await apply(ctx, await present(def, scene, ctx, before));
  }

  async function navigate(ctx: HandlerContext, nav: Nav): Promise<void> {
    delete ctx.session.resumeOffer;
    switch (nav) {
      case 'language':
        ctx.session.pickingLanguage = true;
        ctx.reply(languagePicker(ctx, false));
        return;
      case 'cancel':
        return cancel(ctx);
      case 'menu':
        return ctx.session.scene ? leaveToMenu(ctx) : ctx.showMenu();
      case 'back': {
        const scene = ctx.session.scene;
        const def = scene && registry.scenes.get(scene.id);
        if (!scene || !def) return ctx.showMenu();
        // Passing the scene lets a backFromStart that started another scene keep it (as after complete()).
        const mark = ctx.replyCount();
        return apply(ctx, await goBack(def, scene, ctx), scene, mark);
      }
    }
  }

  async function chooseLanguage(ctx: HandlerContext, locale: Locale): Promise<void> {
    const first = !ctx.session.locale;
    ctx.session.locale = locale;
    delete ctx.session.pickingLanguage;
    const t = i18n.t(locale);
    // The context's translator follows the session from here on.
    Object.assign(ctx, { locale, t });
    await ctx.deps.services.users.setLocale(ctx.meta.userId, locale);
    ctx.reply({ kind: 'text', text: t('common:language.changed') });
    if (ctx.session.scene) return repeatQuestion(ctx);
    if (first) ctx.reply({ kind: 'text', text: t('common:start.about') });
    await ctx.showMenu();
  }

  /** A language chosen from the picker (a tap works any time; typing only while it is open). */
  async function pickLanguage(ctx: HandlerContext, input: Input): Promise<boolean> {
    const tapped = input.kind === 'callback' && input.data.startsWith('lang:');
    if (!tapped && !(ctx.session.pickingLanguage && input.kind === 'text')) return false;
    const locale = pickedLanguage(input);
    if (locale) {
      await chooseLanguage(ctx, locale);
      return true;
    }
    ctx.reply({ kind: 'text', text: ctx.t('errors:choice', { count: LOCALES.length }) }, languagePicker(ctx, false));
    return true;
  }

  async function startCommand(ctx: HandlerContext, args: string): Promise<void> {
    const link = args ? registry.deepLinks.find((l) => args.startsWith(l.prefix)) : undefined;
    if (link) {
      if (!ctx.session.locale) ctx.session.locale = ctx.locale;
      await link.run(ctx, args.slice(link.prefix.length));
      return;
    }
    if (!ctx.session.locale) {
      ctx.session.pickingLanguage = true;
      ctx.reply(languagePicker(ctx, true));
      return;
    }
    if (ctx.session.scene) return leaveToMenu(ctx);
    ctx.reply({ kind: 'text', text: ctx.t('common:start.welcome-back') });
    await ctx.showMenu();
  }

  async function runCommand(ctx: HandlerContext, command: string, args: string): Promise<void> {
    if (command === 'start') return startCommand(ctx, args);
    const nav = NAV_COMMANDS[command];
    if (nav) return navigate(ctx, nav);
    const def = registry.commands.get(command);
    if (!def || !(await permitted(ctx, def))) {
      if (def?.permission) await denied(ctx, def.permission, `command:${command}`);
      ctx.reply({ kind: 'text', text: ctx.t('errors:unknown-command') });
      return ctx.session.scene ? repeatQuestion(ctx) : ctx.showMenu();
    }
    if (ctx.session.scene) {
      // A command in the middle of a form would lose the user's place; say so and ask again.
      return repeatQuestion(ctx, [{ kind: 'text', text: ctx.t('errors:command-in-scene', { command: `/${command}` }) }]);
    }
    await def.run(ctx, args);
  }

  async function runMenuEntry(ctx: HandlerContext, entry: MenuEntry): Promise<void> {
    if (entry.id === STAFF_MENU_ID) {
      ctx.session.data = { ...ctx.session.data, menu: 'staff' };
      ctx.reply(await renderStaffMenu(registry, ctx));
      return;
    }
    await runEntry(entry, ctx);
  }

  async function handleMenuCallback(ctx: HandlerContext, id: string): Promise<void> {
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
    if (ctx.session.scene) {
      // A tap on an old menu while a form is open: keep the form, as Menu would.
      await leaveToMenuQuietly(ctx);
    }
    await runMenuEntry(ctx, entry);
  }

  async function leaveToMenuQuietly(ctx: HandlerContext): Promise<void> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (scene && def?.draftDays) ctx.session.drafts = { ...ctx.session.drafts, [scene.id]: scene };
    delete ctx.session.scene;
  }

  async function resume(ctx: HandlerContext, choice: 'continue' | 'restart'): Promise<void> {
    const sceneId = ctx.session.resumeOffer;
    delete ctx.session.resumeOffer;
    const draft = sceneId ? ctx.session.drafts?.[sceneId] : undefined;
    const def = sceneId ? registry.scenes.get(sceneId) : undefined;
    if (!sceneId || !def) return ctx.showMenu();
    if (ctx.session.drafts) delete ctx.session.drafts[sceneId];
    // A draft kept from before the access changed is not a way back in.
    if (!(await sceneAllowed(ctx, def, draft?.answers ?? {}))) {
      await denied(ctx, def.permission, `scene:${def.id}`, { at: 'resume' });
      ctx.reply({ kind: 'text', text: ctx.t('errors:access-withdrawn') });
      return ctx.showMenu();
    }
    if (choice === 'continue' && draft) {
      ctx.session.scene = draft;
      return repeatQuestion(ctx);
    }
    return apply(ctx, await startScene(def, ctx));
  }

  async function handleTypedWhileIdle(ctx: HandlerContext, input: Input): Promise<void> {
    if (ctx.session.resumeOffer && input.kind === 'text') {
      const shown = [
        { value: 'continue', label: ctx.t('common:draft.continue') },
        { value: 'restart', label: ctx.t('common:draft.restart') },
      ];
      const picked = matchTyped(input.text, shown);
      if (picked) return resume(ctx, picked.value as 'continue' | 'restart');
    }
    if (input.kind === 'text') {
      const staffOpen = ctx.session.data?.menu === 'staff';
      const entry = staffOpen ? await matchStaffEntry(ctx, input.text) : await matchMenuEntry(registry, ctx, input.text);
      if (entry) return runMenuEntry(ctx, entry);
    }
    for (const answer of registry.freeText) if (await answer(ctx, input, false)) return;
    const key = input.kind === 'unsupported' ? 'errors:unsupported-media-idle' : 'errors:not-understood';
    ctx.reply({ kind: 'text', text: ctx.t(key) });
    await ctx.showMenu();
  }

  async function matchStaffEntry(ctx: HandlerContext, typed: string): Promise<MenuEntry | null> {
    const entries = await staffEntries(registry, ctx);
    const picked = matchTyped(
      typed,
      entries.map((e) => ({ value: e.id, label: ctx.t(e.labelKey) })),
    );
    return picked ? (entries.find((e) => e.id === picked.value) ?? null) : null;
  }

  /** The scene's roles, permission and (with the answers so far) scope, checked now. */
  async function sceneAllowed(ctx: HandlerContext, def: SceneDef, answers: Record<string, unknown>): Promise<boolean> {
    if (!(await permitted(ctx, def))) return false;
    if (!def.permission || !def.scope) return true;
    const scope = await def.scope(answers, ctx);
    return !scope || allows(await ctx.access(), def.permission, scope);
  }

  /** A refused attempt, in the audit log: who, what, with which kind of input (never the input itself). */
  async function denied(ctx: HandlerContext, permission: Permission | undefined, target: string, details: Record<string, unknown> = {}): Promise<void> {
    await ctx.deps.services.access.recordDenied(ctx.meta.userId, permission ?? 'staff', target, details);
  }

  /**
   * A staff scene open while its permission was withdrawn or its scope narrowed: the member is
   * taken out, with a message, before the input is read; nothing of the scene is kept.
   */
  async function leftForLackOfAccess(ctx: HandlerContext, input: Input): Promise<boolean> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def || (!def.permission && !def.roles?.length)) return false;
    if (await sceneAllowed(ctx, def, scene.answers)) return false;
    await denied(ctx, def.permission, `scene:${def.id}`, { step: scene.step, input: input.kind });
    delete ctx.session.scene;
    delete ctx.session.resumeOffer;
    if (ctx.session.drafts) delete ctx.session.drafts[scene.id];
    if (input.kind === 'callback') ctx.reply({ kind: 'toast', text: ctx.t('errors:access-withdrawn') });
    ctx.reply({ kind: 'text', text: ctx.t('errors:access-withdrawn-scene', { title: ctx.t(def.titleKey) }), keyboard: 'remove' });
    await ctx.showMenu();
    return true;
  }

  async function enterScene(ctx: HandlerContext, sceneId: string, seed: Record<string, unknown> = {}): Promise<void> {
    const def = registry.scenes.get(sceneId);
    if (!def) throw new Error(`No scene ${sceneId}`);
    if (!(await sceneAllowed(ctx, def, seed))) {
      if (def.permission) await denied(ctx, def.permission, `scene:${def.id}`, { at: 'enter' });
      ctx.reply({ kind: 'text', text: ctx.t('errors:not-allowed') });
      return ctx.showMenu();
    }
    if (ctx.session.data?.menu) {
      const { menu: _menu, ...data } = ctx.session.data;
      ctx.session.data = data;
    }
    const draft: SceneState | undefined = ctx.session.drafts?.[sceneId];
    if (draft && Object.keys(seed).length === 0) {
      ctx.session.resumeOffer = sceneId;
      ctx.reply(draftOffer(ctx, def, draft));
      return;
    }
    await apply(ctx, await startScene(def, ctx, seed));
  }

  async function routeCallback(ctx: HandlerContext, input: Extract<Input, { kind: 'callback' }>): Promise<void> {
    const parsed = parseCallback(input.data);
    if (parsed.type === 'other') {
      if (parsed.prefix === 'n' && (NAV as string[]).includes(parsed.rest)) return navigate(ctx, parsed.rest as Nav);
      if (parsed.prefix === 'm') return handleMenuCallback(ctx, parsed.rest);
      if (parsed.prefix === 'r' && (parsed.rest === 'continue' || parsed.rest === 'restart')) return resume(ctx, parsed.rest);
      const handler = registry.callbacks.get(parsed.prefix);
      if (handler && (await permitted(ctx, handler))) return handler.run(ctx, parsed.rest, input.messageId);
      if (handler?.permission || handler?.roles) {
        await denied(ctx, handler.permission, `button:${parsed.prefix}`);
        ctx.reply({ kind: 'toast', text: ctx.t('errors:access-withdrawn') });
        return;
      }
      ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
      return;
    }
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def) {
      ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
      return;
    }
    const mark = ctx.replyCount();
    await apply(ctx, await handleInput(def, scene, input, ctx), scene, mark);
  }

  return {
    enterScene,
    async route(ctx, input) {
      if (input.kind === 'membership') {
        await ctx.deps.services.users.setBlocked(ctx.meta.userId, input.blocked);
        return;
      }
      const notices = dropStale(registry, ctx);
      ctx.reply(...notices);
      // Before anything else reads or changes data for this input (even a language change
      // re-renders the question): does the member still hold what the open scene acts with?
      if (await leftForLackOfAccess(ctx, input)) return;
      if (await pickLanguage(ctx, input)) return;
      if (!ctx.session.locale && !(input.kind === 'command' && input.command === 'start' && input.args)) {
        return startCommand(ctx, '');
      }
      if (input.kind === 'command') return runCommand(ctx, input.command, input.args);
      if (input.kind === 'callback') return routeCallback(ctx, input);
      const scene = ctx.session.scene;
      const def = scene && registry.scenes.get(scene.id);
      if (input.kind === 'text') {
        const nav = navWords.get(normalizeForMatch(input.text));
        if (nav && (scene || nav !== 'back')) return navigate(ctx, nav);
      }
      if (scene && def && input.kind === 'text' && isQuestionAtTapStep(def, scene, input.text)) {
        // A question typed where the form wants a tap: answer it, then ask the step again.
        for (const answer of registry.freeText) if (await answer(ctx, input, true)) return repeatQuestion(ctx);
      }
      if (scene && def) {
        const mark = ctx.replyCount();
        return apply(ctx, await handleInput(def, scene, input, ctx), scene, mark);
      }
      if (notices.length > 0) return ctx.showMenu();
      await handleTypedWhileIdle(ctx, input);
    },
  };
}
