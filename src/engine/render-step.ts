import type { InlineButton, KeyboardButton, Reply } from '../telegram/types.js';
import { buttonStepId, CB } from './callback-data.js';
import { inKazakh, inOtherLanguages, numbered, OPTION_BUTTONS_MAX, resolveOptions, type ShownOption } from './options.js';
import { regionKeysByName, regionName } from '../domain/regions.js';
import { applicableSteps, summaryLines } from './steps.js';
import { suggestionOf } from './suggest.js';
import type { SceneDef, SceneState, StepContext, StepDef } from './types.js';

/** The navigation row under every question; the same words also work when typed. */
export function navButtons(ctx: StepContext): InlineButton[][] {
  return [
    [
      { text: ctx.t('common:nav.back'), data: CB.nav('back') },
      { text: ctx.t('common:nav.menu'), data: CB.nav('menu') },
    ],
    [
      { text: ctx.t('common:nav.language'), data: CB.nav('language') },
      { text: ctx.t('common:nav.cancel'), data: CB.nav('cancel') },
    ],
  ];
}

/** Reply-keyboard version of the navigation, for steps whose keyboard asks for a contact or location. */
function navKeyboardRows(ctx: StepContext): KeyboardButton[][] {
  return [
    [{ text: ctx.t('common:nav.back') }, { text: ctx.t('common:nav.menu') }],
    [{ text: ctx.t('common:nav.language') }, { text: ctx.t('common:nav.cancel') }],
  ];
}

function optionButtons(stepId: string, shown: ShownOption[], columns: number, selection?: string[]): InlineButton[][] {
  const rows: InlineButton[][] = [];
  shown.forEach((option, index) => {
    const mark = selection?.includes(option.value) ? '✓ ' : '';
    const button = {
      text: `${mark}${numbered(index, option.label)}`,
      data: selection ? CB.toggle(stepId, index) : CB.answer(stepId, index),
    };
    if (index % columns === 0) rows.push([button]);
    else rows[rows.length - 1]!.push(button);
  });
  return rows;
}

/** Telegram's limit for the text of one message. */
const MESSAGE_MAX = 4096;

/**
 * Options too many for buttons, as numbered lines in as many messages as they need; the last
 * carries the navigation. Typed numbers answer them as they answer buttons.
 */
function listedOptions(parts: { body: string; hint: string }, shown: ShownOption[], nav: InlineButton[][]): Reply[] {
  const lines = [...parts.body.split('\n'), '', ...shown.map((option, index) => numbered(index, option.label)), '', parts.hint];
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > MESSAGE_MAX && current) {
      texts.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  texts.push(current);
  return texts.map((text, i) => (i === texts.length - 1 ? { kind: 'text', text, buttons: nav } : { kind: 'text', text }));
}

/** "да, согласен, согласна" → the words one by one. */
const words = (list: string): string[] =>
  list
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** A list of typed words (a "-words" text) in the person's language and the other two. */
const inAnyLanguage = (key: string, ctx: StepContext): string[] => [...words(ctx.t(key)), ...inOtherLanguages(key, ctx).flatMap(words)];

export function regionOptions(ctx: StepContext): ShownOption[] {
  return regionKeysByName(ctx.locale).map((key) => ({ value: key, label: regionName(key, ctx.locale) }));
}

async function promptText<A>(def: SceneDef<A>, answers: Partial<A>, step: StepDef<A>, ctx: StepContext): Promise<string> {
  const params = step.promptParams ? await step.promptParams(answers, ctx) : {};
  const steps = applicableSteps(def, answers);
  const position = steps.findIndex((s) => s.id === step.id);
  const progress =
    steps.length >= 3 && position >= 0 ? `${ctx.t('common:progress', { current: position + 1, total: steps.length })}\n\n` : '';
  // promptParams may name another key for this user (e.g. a question worded for a limited scope).
  const { promptKey, ...rest } = params;
  return `${progress}${ctx.t(typeof promptKey === 'string' ? promptKey : step.prompt, rest)}`;
}

/** The prefix of a summary's "change this answer" options: `__change:<step id>`. */
export const CHANGE = '__change:';

/** The `kazakh` of a shown option (options.ts), when the key has a Kazakh text. */
function kazakhOf(key: string, ctx: StepContext): { kazakh?: string } {
  const kazakh = inKazakh(key, ctx);
  return kazakh ? { kazakh } : {};
}

/**
 * What the summary offers besides submitting: a button per step the confirm step names (those
 * that apply to these answers), or else one "Change an answer" that opens the list.
 */
function changeOptions<A>(def: SceneDef<A>, step: Extract<StepDef<A>, { kind: 'confirm' }>, answers: Partial<A>, ctx: StepContext): ShownOption[] {
  if (!step.changeButtons) return [{ value: '__edit', label: ctx.t('common:confirm.edit'), aliases: inOtherLanguages('common:confirm.edit', ctx), ...kazakhOf('common:confirm.edit', ctx) }];
  const applicable = new Set(applicableSteps(def, answers).filter((s) => s.kind !== 'confirm').map((s) => s.id));
  return step.changeButtons.filter((b) => applicable.has(b.step)).map((b) => ({ value: `${CHANGE}${b.step}`, label: ctx.t(b.labelKey), ...kazakhOf(b.labelKey, ctx) }));
}

export interface RenderedStep {
  replies: Reply[];
  /** Options on screen, kept in the state so taps and typed numbers map to them. */
  shown?: ShownOption[];
}

/** The question of the current step, with its buttons, in the user's language; `answers` are the state's, read through the schema. */
export async function renderStep<A>(def: SceneDef<A>, state: SceneState, answers: Partial<A>, ctx: StepContext): Promise<RenderedStep> {
  const step = def.steps.find((s) => s.id === state.step);
  if (!step) throw new Error(`Scene ${def.id} has no step ${state.step}`);
  const body = await promptText(def, answers, step, ctx);
  const nav = navButtons(ctx);
  const hint = ctx.t('common:hint.choice');

  switch (step.kind) {
    case 'choice': {
      const shown = await resolveOptions(step, answers, ctx);
      const columns = step.columns ?? 1;
      const id = buttonStepId(state, step, answers, shown);
      if (shown.length > OPTION_BUTTONS_MAX) {
        // No "Done" either: a typed list is the whole answer, and "Done" on nothing would answer "none".
        const typedHint = ctx.t(step.multi ? 'common:hint.typed-many' : 'common:hint.typed-one');
        return { shown, replies: listedOptions({ body, hint: typedHint }, shown, nav) };
      }
      if (step.multi) {
        const selection = state.selection ?? [];
        const rows = optionButtons(id, shown, columns, selection);
        rows.push([{ text: ctx.t('common:multi.done'), data: CB.done(id) }]);
        // The "✓" on a button is not read out by every screen reader: say the choice in words too.
        const picked = shown.filter((option) => selection.includes(option.value)).map((option) => option.label);
        const chosen = picked.length > 0 ? ctx.t('common:multi.chosen', { list: picked.join('; ') }) : ctx.t('common:multi.chosen-none');
        return {
          shown,
          replies: [{ kind: 'text', text: `${body}\n\n${ctx.t('common:hint.multi')}\n\n${chosen}`, buttons: [...rows, ...nav] }],
        };
      }
      return { shown, replies: [{ kind: 'text', text: `${body}\n\n${hint}`, buttons: [...optionButtons(id, shown, columns), ...nav] }] };
    }
    case 'consent': {
      // Typed "yes", "да", "согласен", "иә" count as well as the label itself, in any of the three languages.
      const agree = step.agreeKey ?? 'common:consent.agree';
      const decline = step.declineKey ?? 'common:consent.decline';
      const shown = [
        { value: 'yes', label: ctx.t(agree), aliases: [...inAnyLanguage('common:consent.agree-words', ctx), ...inOtherLanguages(agree, ctx)] },
        { value: 'no', label: ctx.t(decline), aliases: [...inAnyLanguage('common:consent.decline-words', ctx), ...inOtherLanguages(decline, ctx)] },
      ];
      return { shown, replies: [{ kind: 'text', text: body, buttons: [...optionButtons(buttonStepId(state, step, answers), shown, 1), ...nav] }] };
    }
    case 'confirm': {
      if (state.pickingEdit) {
        const editable = applicableSteps(def, answers).filter(
          (s) => s.kind !== 'confirm' && s.kind !== 'consent' && (!step.editable || step.editable.includes(s.id)),
        );
        const shown = editable.map((s) => {
          const key = s.summaryKey ?? `${def.namespace}:${s.id}.summary`;
          return { value: s.id, label: ctx.t(key), ...kazakhOf(key, ctx) };
        });
        return {
          shown,
          replies: [{ kind: 'text', text: ctx.t('common:confirm.pick-field'), buttons: [...optionButtons(buttonStepId(state, step, answers), shown, 1), ...nav] }],
        };
      }
      const lines = await summaryLines(def, answers, ctx);
      const submit = step.submitKey ?? 'common:confirm.submit';
      const shown = [{ value: '__submit', label: ctx.t(submit), aliases: inOtherLanguages(submit, ctx), ...kazakhOf(submit, ctx) }, ...changeOptions(def, step, answers, ctx)];
      const text = `${body}\n\n${lines.join('\n')}\n\n${hint}`;
      return { shown, replies: [{ kind: 'text', text, buttons: [...optionButtons(buttonStepId(state, step, answers), shown, 1), ...nav] }] };
    }
    case 'phone':
      return {
        replies: [
          {
            kind: 'text',
            text: `${body}\n\n${ctx.t('common:hint.phone')}`,
            keyboard: { rows: [[{ text: ctx.t('common:phone.share'), requestContact: true }], ...navKeyboardRows(ctx)] },
          },
        ],
      };
    case 'location': {
      const keyboard = { rows: [[{ text: ctx.t('common:location.share'), requestLocation: true }], ...navKeyboardRows(ctx)] };
      const shown: ShownOption[] = step.allowRegion ? regionOptions(ctx) : [];
      if (step.optional) shown.push({ value: '__skip', label: ctx.t('common:location.skip') });
      const replies: Reply[] = [
        { kind: 'text', text: `${body}\n\n${ctx.t(step.allowRegion ? 'common:hint.location-or-region' : 'common:hint.location')}`, keyboard },
      ];
      if (shown.length > 0) {
        replies.push({
          kind: 'text',
          text: ctx.t(step.allowRegion ? 'common:location.or-region' : 'common:location.or-skip'),
          // One column: long names ("Восточно-Казахстанская область") are not cut in half a row.
          buttons: optionButtons(buttonStepId(state, step, answers), shown, 1),
        });
      }
      return { shown, replies };
    }
    case 'date':
      return {
        replies: [{ kind: 'text', text: `${body}\n\n${ctx.t(step.withTime ? 'common:hint.datetime' : 'common:hint.date')}`, buttons: nav }],
      };
    case 'text': {
      const suggestion = suggestionOf(step, answers, ctx);
      if (!suggestion) return { replies: [{ kind: 'text', text: body, buttons: nav }] };
      // The offered text in the message (a screen reader reads it), then how to keep or replace it.
      const text = `${body}\n\n${ctx.t('common:suggest.shown', { text: suggestion.text })}\n\n${ctx.t('common:suggest.hint', { label: suggestion.keep.label })}`;
      return { shown: [suggestion.keep], replies: [{ kind: 'text', text, buttons: [...optionButtons(buttonStepId(state, step, answers), [suggestion.keep], 1), ...nav] }] };
    }
    case 'number':
      return { replies: [{ kind: 'text', text: body, buttons: nav }] };
  }
}
