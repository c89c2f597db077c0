import { LOCALES, type Input } from '../telegram/types.js';
import { normalizeForMatch } from '../domain/text.js';
import { parseCallback } from '../engine/callback-data.js';
import { typedCandidates } from '../engine/options.js';
import { isClearlyAQuestion } from '../domain/typed-question.js';
import type { Scene } from '../engine/scene.js';
import type { SceneState } from '../engine/types.js';
import type { I18n } from '../i18n/index.js';
import { permitted, type Registry } from './registry.js';
import type { HandlerContext } from './types.js';
import { dropStale } from './drafts.js';
import { createCommands } from './routing/commands.js';
import { createMenuInput } from './routing/menu-input.js';
import { createNavigation, isNav } from './routing/navigation.js';
import { denied, leftForLackOfAccess } from './routing/scene-access.js';
import { createSceneDispatch } from './routing/scene-dispatch.js';

/**
 * Decides what an input means before the engine sees it: navigation (Back, Cancel, Menu,
 * Language) works at every step, commands and feature buttons go to their handlers, and
 * everything else answers the current question or picks from the menu. The pieces are in
 * routing/: navigation, commands, scene dispatch (the only caller of the engine), menu input.
 */
export interface Router {
  route(ctx: HandlerContext, input: Input): Promise<void>;
  /** Used by HandlerContext.startScene. */
  enterScene(ctx: HandlerContext, sceneId: string, seed?: Record<string, unknown>): Promise<void>;
}

/**
 * A typed text at a step that wants a tap (choice, consent, confirm, location, phone) that picks
 * no option and reads like a question. Typed answers to text, number and date steps are always
 * answers, never questions.
 */
function isQuestionAtTapStep(def: Scene, scene: SceneState, text: string, now: Date): boolean {
  const kind = def.stepKind(scene.step);
  if (!kind || kind === 'text' || kind === 'number' || kind === 'date') return false;
  // An answer that fits one option or several (asked for the number then) is not a question, nor
  // one the step's own reader takes (an age, a region in a sentence), nor a sentence naming one
  // option ("I can help on weekends", or "I can't…": the step asks again).
  const shown = scene.shown ?? [];
  if (typedCandidates(text, shown).length > 0 || def.readsTyped(scene.step, text, now) || def.readsSentence(scene.step, text, shown)) return false;
  // Four words or more: a sentence, where a tap was wanted. Fewer only when they clearly ask
  // ("не істеу керек", "как оформить инвалидность"): three words are as often an answer.
  const words = text.trim().split(/\s+/).length;
  return text.includes('?') || words >= 4 || (words >= 2 && isClearlyAQuestion(text));
}

export function createRouter(registry: Registry, i18n: I18n): Router {
  const scenes = createSceneDispatch(registry);
  const navigation = createNavigation(i18n, scenes);
  const commands = createCommands(registry, scenes, navigation);
  const menu = createMenuInput(registry, scenes);
  const helpWords = new Set(LOCALES.map((locale) => normalizeForMatch(i18n.t(locale)('common:menu.help'))));

  async function routeCallback(ctx: HandlerContext, input: Extract<Input, { kind: 'callback' }>): Promise<void> {
    const parsed = parseCallback(input.data);
    if (parsed.type !== 'other') {
      if (!(await scenes.answer(ctx, input))) ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
      return;
    }
    if (parsed.prefix === 'n' && isNav(parsed.rest)) return navigation.navigate(ctx, parsed.rest);
    if (parsed.prefix === 'm') return menu.tapped(ctx, parsed.rest);
    if (parsed.prefix === 'r' && (parsed.rest === 'continue' || parsed.rest === 'restart')) return scenes.resume(ctx, parsed.rest);
    const handler = registry.callbacks.get(parsed.prefix);
    if (handler && (await permitted(ctx, handler))) return handler.run(ctx, parsed.rest, input.messageId);
    if (handler?.permission || handler?.roles) {
      await denied(ctx, handler.permission, `button:${parsed.prefix}`);
      ctx.reply({ kind: 'toast', text: ctx.t('errors:access-withdrawn') });
      return;
    }
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
  }

  return {
    enterScene: scenes.enter,
    async route(ctx, input) {
      if (input.kind === 'membership') {
        await ctx.deps.services.users.setBlocked(ctx.meta.userId, input.blocked);
        return;
      }
      if (!ctx.session.locale && !ctx.session.pickingLanguage) await navigation.restoreLanguage(ctx);
      const { users } = ctx.deps.services;
      if (!ctx.session.locale && input.kind === 'callback' && (await users.erasedLately(ctx.meta.chatId)) && !(await users.get(ctx.meta.userId))) {
        // A button from before "Delete my data" (a second tap on "Yes, delete everything"): a tap
        // makes no account again (users.touch); a message does.
        ctx.reply({ kind: 'toast', text: ctx.t('errors:erased-button') });
        return;
      }
      if (input.kind === 'edited') for (const seen of registry.edited) await seen(ctx, input);
      if (input.kind === 'edited' && !ctx.session.scene) {
        // Telegram tells us of the change, but the answer, follow-up or question was taken as first
        // sent: the person is told, so a corrected IIN or phone number is not believed fixed.
        ctx.reply({ kind: 'text', text: ctx.t('errors:edit-not-read') });
        return;
      }
      const notices = dropStale(registry, ctx);
      ctx.reply(...notices);
      // Before anything else reads or changes data for this input (even a language change
      // re-renders the question): does the member still hold what the open scene acts with?
      if (await leftForLackOfAccess(registry, ctx, input)) return;
      if (input.kind === 'edited') {
        // In a form the edited answer was taken and the form has moved on: sent again as a new
        // message it would answer the open question (a name at the IIN). Back changes it.
        if (ctx.session.scene) return scenes.repeat(ctx, [{ kind: 'text', text: ctx.t('errors:edit-not-read-in-form') }]);
        ctx.reply({ kind: 'text', text: ctx.t('errors:edit-not-read') });
        return ctx.showMenu();
      }
      if (await navigation.pickLanguage(ctx, input)) return;
      if (!ctx.session.locale && !(input.kind === 'command' && input.command === 'start' && input.args)) {
        return commands.start(ctx, '');
      }
      if (input.kind === 'command') return commands.run(ctx, input.command, input.args);
      if (input.kind === 'callback') return routeCallback(ctx, input);
      const scene = ctx.session.scene;
      const def = scene && registry.scenes.get(scene.id);
      if (input.kind === 'text') {
        // Back typed with no form open does what the tapped button does (the menu): as free text it
        // was a knowledge base look-up, or a follow-up sent to the operator of an open question.
        const nav = navigation.typed(input.text);
        if (nav) return navigation.navigate(ctx, nav);
      }
      if (scene && input.kind === 'text' && helpWords.has(normalizeForMatch(input.text)) && typedCandidates(input.text, scene.shown ?? []).length === 0) {
        // The Help button's words alone, where no option of the step is meant: help, as /help
        // shows it in a form. As an answer, "Help" was stored as a volunteer's name.
        return commands.run(ctx, 'help', '');
      }
      if (scene && def && input.kind === 'text' && isQuestionAtTapStep(def, scene, input.text, ctx.deps.now())) {
        // A question typed where the form wants a tap: answer it, then ask the step again.
        for (const answer of registry.freeText) if (await answer(ctx, input, true)) return scenes.repeat(ctx);
      }
      if (scene && def && input.kind === 'unsupported') {
        for (const take of registry.sceneAttachment) if (await take(ctx, input)) return;
      }
      if (await scenes.answer(ctx, input)) return;
      if (notices.length > 0) return ctx.showMenu();
      await menu.typed(ctx, input);
    },
  };
}
