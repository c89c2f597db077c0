import { LOCALES, type Input, type Locale } from '../../telegram/types.js';
import { latinSkeleton, normalizeForMatch } from '../../domain/text.js';
import type { I18n } from '../../i18n/index.js';
import { languagePicker, pickedLanguage } from '../language-picker.js';
import type { HandlerContext } from '../types.js';
import type { SceneDispatch } from './scene-dispatch.js';

/** Back, Cancel, Menu and Language: the same at every step, as buttons, commands or typed words. */
export type Nav = 'back' | 'cancel' | 'menu' | 'language';
export const NAV: readonly Nav[] = ['back', 'cancel', 'menu', 'language'];
export const isNav = (value: string): value is Nav => (NAV as readonly string[]).includes(value);

export interface Navigation {
  /** A typed navigation word in any of the three languages ("Артқа", "Назад", "Back"...). */
  typed(text: string): Nav | undefined;
  navigate(ctx: HandlerContext, nav: Nav): Promise<void>;
  /** A language chosen from the picker (a tap works any time; typing only while it is open). */
  pickLanguage(ctx: HandlerContext, input: Input): Promise<boolean>;
  /**
   * A session without a language (first visit, or stored sessions expired after a long silence):
   * the language the person once picked, from their user record, so they are not asked again and
   * what they just sent is read. False when they never picked one.
   */
  restoreLanguage(ctx: HandlerContext): Promise<boolean>;
}

export function createNavigation(i18n: I18n, scenes: SceneDispatch): Navigation {
  const navWords = new Map<string, Nav>();
  // The same words as Kazakh is typed in Latin letters ("Artqa", "Bas tartu").
  const latinNavWords = new Map<string, Nav>();
  for (const locale of LOCALES) {
    for (const nav of NAV) {
      navWords.set(normalizeForMatch(i18n.t(locale)(`common:nav.${nav}`)), nav);
      latinNavWords.set(latinSkeleton(i18n.t(locale)(`common:nav.${nav}`)), nav);
    }
    // The words people say to stop ("стоп", "тоқта", "stop"): typed at a name question they were
    // stored as the name.
    for (const word of i18n.t(locale)('common:nav-words.cancel').split(',')) navWords.set(normalizeForMatch(word), 'cancel');
  }
  const typedNav = (text: string): Nav | undefined => navWords.get(normalizeForMatch(text)) ?? latinNavWords.get(latinSkeleton(text));

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
        return ctx.session.scene ? scenes.leaveToMenu(ctx) : ctx.showMenu();
      case 'back':
        return scenes.back(ctx);
    }
  }

  function useLanguage(ctx: HandlerContext, locale: Locale): ReturnType<I18n['t']> {
    ctx.session.locale = locale;
    delete ctx.session.pickingLanguage;
    const t = i18n.t(locale);
    // The context's translator follows the session from here on.
    Object.assign(ctx, { locale, t });
    return t;
  }

  async function restoreLanguage(ctx: HandlerContext): Promise<boolean> {
    const locale = await ctx.deps.services.users.chosenLocale(ctx.meta.userId);
    if (!locale) return false;
    useLanguage(ctx, locale);
    return true;
  }

  async function chooseLanguage(ctx: HandlerContext, locale: Locale): Promise<void> {
    const first = !ctx.session.locale;
    const t = useLanguage(ctx, locale);
    await ctx.deps.services.users.setLocale(ctx.meta.userId, locale);
    ctx.reply({ kind: 'text', text: t('common:language.changed') });
    if (ctx.session.scene) return scenes.repeat(ctx);
    if (first) ctx.reply({ kind: 'text', text: t('common:start.about') });
    await ctx.showMenu();
  }

  /**
   * The picker is left by going elsewhere: a command, another button, or a navigation word typed
   * at it (Back closes it and asks what was on screen before). Otherwise a "1" typed later at a
   * form or the menu would still pick a language.
   */
  async function leavePicker(ctx: HandlerContext, input: Input): Promise<boolean> {
    if (input.kind === 'command' || input.kind === 'callback') {
      delete ctx.session.pickingLanguage;
      return false;
    }
    // The first picker, before any language is chosen, has nothing behind it to go back to.
    const nav = input.kind === 'text' && ctx.session.locale ? typedNav(input.text) : undefined;
    if (!nav) return false;
    delete ctx.session.pickingLanguage;
    if (nav !== 'back') return false;
    await scenes.repeat(ctx);
    return true;
  }

  async function pickLanguage(ctx: HandlerContext, input: Input): Promise<boolean> {
    const tapped = input.kind === 'callback' && input.data.startsWith('lang:');
    if (!tapped && ctx.session.pickingLanguage && (await leavePicker(ctx, input))) return true;
    if (!tapped && !(ctx.session.pickingLanguage && input.kind === 'text')) return false;
    const locale = pickedLanguage(input);
    if (locale) {
      await chooseLanguage(ctx, locale);
      return true;
    }
    ctx.reply({ kind: 'text', text: ctx.t('errors:choice', { count: LOCALES.length }) }, languagePicker(ctx, false));
    return true;
  }

  return { typed: typedNav, navigate, pickLanguage, restoreLanguage };
}
