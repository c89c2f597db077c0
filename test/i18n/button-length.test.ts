// Every button, in every language, must fit on one line of a small phone (360 dp): a cut label
// ("Восточно-Казахстанская обл…") loses the words that tell the options apart, and a screen
// reader reads only what is on the button. The limits and their reasons are in
// docs/style-guide.md; BUTTON_MAX is shared with the code that cuts typed names to fit.
//
// Three sources of buttons are checked:
// 1. every step of every scene, rendered by the engine itself, with every multi-choice option
//    ticked and the "which answer to change" list of every summary opened;
// 2. the main and staff menus and the navigation rows;
// 3. buttons built from data (references, regions, counts, centres, missions, people), filled
//    with the longest real values: the longest region name in each language, a full reference
//    number, the highest count, the longest sample centre, the longest title the forms accept.
// Steps whose options come from the database cannot be rendered without it; each of them must
// be named in DATA_STEPS and is covered by (3), so a new data-driven step fails until it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { renderStep } from '../../src/engine/render-step.js';
import { BUTTON_MAX, buttonMax, fitLabel, LABEL_MAX, numbered } from '../../src/engine/options.js';
import { missionListText, missionOptionLabel } from '../../src/features/volunteer/mission-texts.js';
import { MISSION_TITLE_MAX } from '../../src/features/volunteer/volunteer-options.js';
import { REGION_KEYS, regionName, regionShortName } from '../../src/domain/regions.js';
import { formatTenge } from '../../src/domain/money.js';
import { formatKzDate } from '../../src/domain/kz-time.js';
import { findInRepo } from '../../src/paths.js';
import { LANGUAGE_NAMES } from '../../src/domain/languages.js';
import type { SceneDef, SceneState, StepDef } from '../../src/engine/types.js';
import type { Scene } from '../../src/engine/scene.js';
import type { SceneContext } from '../../src/engine/context.js';
import { LOCALES, type InlineButton, type Locale } from '../../src/telegram/types.js';
import { engineContext } from '../engine/engine-harness.js';
import { faqFeedbackButtons } from '../../src/features/inquiries/texts.js';
import { staffCardButtons } from '../../src/features/inquiries/relay.js';

/** Steps whose options are read from the database; their labels are checked in `dataButtons`. */
const DATA_STEPS = new Set([
  'grant-hub:choice',
  'grant-review:application',
  'grant-review:action',
  'mission-manage:mission',
  'mission-manage:action',
  'mission-manage:came',
  'my-data:action',
  'staff-manage:member',
  'staff-manage:action',
  'volunteer-page:action',
  'volunteer-page:mission',
  'volunteer-page:invitation',
  'volunteer-page:reminder',
]);

interface Found {
  where: string;
  text: string;
  length: number;
  max: number;
}

const length = (text: string) => [...text].length;

function check(where: string, rows: InlineButton[][] | { text: string }[][]): Found[] {
  const found: Found[] = [];
  for (const row of rows) {
    const max = buttonMax(row.length);
    for (const button of row) if (length(button.text) > max) found.push({ where, text: button.text, length: length(button.text), max });
  }
  return found;
}

const scenes: Scene[] = FEATURES.flatMap((f) => f.scenes ?? []);

function stateAt<A>(def: SceneDef<A>, step: StepDef<A>, extra: Partial<SceneState> = {}): SceneState {
  return { id: def.id, version: def.version, step: step.id, answers: {}, history: [], startedAt: 0, touchedAt: 0, expiresAt: 0, ...extra };
}

/** A step as the user sees it; prompt parameters may need the database and say nothing about buttons. */
const withoutPromptParams = <A>(def: SceneDef<A>): SceneDef<A> => ({
  ...def,
  steps: def.steps.map((s) => ({ ...s, promptParams: undefined })),
});

interface Collected {
  found: Found[];
  rendered: Set<string>;
  unrendered: Set<string>;
}

async function collect<A>(original: SceneDef<A>, locale: Locale, ctx: SceneContext, into: Collected): Promise<void> {
  const def = withoutPromptParams(original);
  for (const step of def.steps) {
    const id = `${def.id}:${step.id}`;
    try {
      const first = await renderStep(def, stateAt(def, step), {}, ctx);
      const selection = (first.shown ?? []).map((o) => o.value);
      const views = [first];
      if (step.kind === 'choice' && step.multi) views.push(await renderStep(def, stateAt(def, step, { selection }), {}, ctx));
      if (step.kind === 'confirm') views.push(await renderStep(def, stateAt(def, step, { pickingEdit: true }), {}, ctx));
      for (const view of views) {
        for (const reply of view.replies) {
          if (reply.kind !== 'text') continue;
          into.found.push(...check(`${locale}:${id}`, reply.buttons ?? []));
          into.found.push(...check(`${locale}:${id} (keyboard)`, reply.keyboard && reply.keyboard !== 'remove' ? reply.keyboard.rows : []));
        }
      }
      into.rendered.add(id);
    } catch {
      into.unrendered.add(id);
    }
  }
}

async function sceneButtons(locale: Locale): Promise<Collected> {
  const ctx = await engineContext(locale);
  const into: Collected = { found: [], rendered: new Set<string>(), unrendered: new Set<string>() };
  for (const scene of scenes) await scene.open((def) => collect(def, locale, ctx, into));
  return into;
}

// The longest real values.
const REF = 'KMK-2026-000123';
const longestOf = (values: string[]) => values.reduce((a, b) => (length(b) > length(a) ? b : a), '');
const centres = JSON.parse(readFileSync(findInRepo('data/centres.sample.json'), 'utf8')) as Array<{ name: Record<Locale, string> | string }>;
const centreName = (locale: Locale) => longestOf(centres.map((c) => (typeof c.name === 'string' ? c.name : (c.name[locale] ?? c.name.ru ?? ''))));
const TITLE_100 = 'Помощь на благотворительной ярмарке в парке имени Первого Президента Республики Казахстан у фонтанов';
const NAME_100 = 'Сәрсенбаева-Нұрмағамбетова Әйгерім-Гүлнара Нұрланқызы Сәрсенбаева-Нұрмағамбетова Әйгерім Нұрланқызы';
const LATEST = new Date('2026-12-31T13:59:00Z'); // 31.12.2026 18:59 in Kazakhstan: the widest date and time

async function dataButtons(locale: Locale): Promise<Found[]> {
  const ctx = await engineContext(locale);
  const { t } = ctx;
  const regionShort = longestOf(REGION_KEYS.map((k) => regionShortName(k, locale)));
  const regionFull = longestOf(REGION_KEYS.map((k) => regionName(k, locale)));
  const since = formatKzDate(LATEST, locale);
  const distance = t('rehab:results.km', { value: '999,9' });
  // What the scenes put on their buttons, with the same helpers and the longest values.
  const single = (label: string, index = 19): InlineButton[][] => [[{ text: numbered(index, label), data: 'x' }]];
  const ticked = (label: string, index = 19): InlineButton[][] => [[{ text: `✓ ${numbered(index, label)}`, data: 'x' }]];
  const cases: Array<[string, InlineButton[][]]> = [
    ['grant:hub.answer', single(t('grant:hub.answer', { ref: REF }), 9)],
    ['grant review list', single(`${REF} · ${formatTenge(8000 * 4325, locale, 'short')}`, 29)],
    ...(['eligibility', 'apply', 'mine'] as const).map((k): [string, InlineButton[][]] => [`grant hub ${k}`, single(t(`grant:hub.${k}`), 9)]),
    ...(['in-review', 'more-info', 'approved', 'rejected'] as const).map((k): [string, InlineButton[][]] => [`grant review ${k}`, single(t(`grant:review.to.${k}`), 4)]),
    ...(['delete', 'announcements-on', 'announcements-off'] as const).map((k): [string, InlineButton[][]] => [`my data ${k}`, single(t(`common:mydata.${k}`), 2)]),
    ...(['roster', 'cancel', 'attendance'] as const).map((k): [string, InlineButton[][]] => [`mission ${k}`, single(t(`volunteer:manage.${k}`), 2)]),
    ...(['missions', 'cancel-mission', 'edit', 'pause', 'resume', 'leave'] as const).map((k): [string, InlineButton[][]] => [`volunteer page ${k}`, single(t(`volunteer:page.${k}`), 8)]),
    ['grant review close', single(t('grant:review.close'), 4)],
    ['grant:notice.answer-button', [[{ text: t('grant:notice.answer-button'), data: 'x' }]]],
    // Shown only with a suggested text, which an empty render has not.
    ['common:suggest.keep', single(t('common:suggest.keep'), 0)],
    ['rehab:results.neighbour', single(t('rehab:results.neighbour', { region: regionShort, count: 999 }), 9)],
    ['rehab:results.home', single(t('rehab:results.home', { count: 999 }), 9)],
    ['region list', single(regionFull, 20)],
    ['region list with a tick', [[{ text: numbered(20, regionFull), data: 'x' }]]],
    ['centre without distance', single(fitLabel(centreName(locale)), 7)],
    ['centre with distance', single(`${fitLabel(centreName(locale), LABEL_MAX - length(distance) - 3)} (${distance})`, 7)],
    ['rehab card actions', single(t('rehab:card.back'), 2)],
    ['rehab more', single(t('rehab:results.more'), 7)],
    ['rehab previous', single(t('rehab:results.previous'), 7)],
    ['rehab first page', single(t('rehab:results.first'), 1)],
    ['mission list', single(`${fitLabel(TITLE_100, LABEL_MAX - length(t('volunteer:manage.places', { accepted: 500, slots: 500 })) - 1)} ${t('volunteer:manage.places', { accepted: 500, slots: 500 })}`, 29)],
    ['attendance', ticked(fitLabel(NAME_100, LABEL_MAX - 2), 98)],
    ['attendance nobody', ticked(t('volunteer:manage.nobody'), 98)],
    ['invitation, reminder and own-mission lists', single(missionOptionLabel({ startsAt: LATEST }, locale), 29)],
    ['volunteer:page.invitations', single(t('volunteer:page.invitations', { n: 99 }), 8)],
    ['volunteer:page.reminders', single(t('volunteer:page.reminders', { n: 99 }), 8)],
    ['invitation message', [[{ text: t('volunteer:invite.accept'), data: 'x' }], [{ text: t('volunteer:invite.decline'), data: 'x' }]]],
    ['reminder message', [[{ text: t('volunteer:reminder.yes'), data: 'x' }], [{ text: t('volunteer:reminder.no'), data: 'x' }]]],
    ['staff member', single(t('staff:manage.member', { id: '9999999999', since }), 29)],
    ...(['change-role', 'change-regions', 'change-topics', 'revoke', 'close'] as const).map((k): [string, InlineButton[][]] => [`staff manage ${k}`, single(t(`staff:manage.${k}`), 5)]),
    ['broadcast progress', [[{ text: t('broadcast:progress.cancel'), data: 'x' }]]],
    // Built by the inquiries feature itself, with its own row layout.
    ['knowledge base answer', faqFeedbackButtons(t, '0123456789abcdef01234567')],
    ['question card in the staff group', staffCardButtons(t, 'Q-2026-000123')],
    ['draft offer', [[{ text: t('common:draft.continue'), data: 'x' }], [{ text: t('common:draft.restart'), data: 'x' }]]],
    ['language picker', LOCALES.map((l, i) => [{ text: `✓ ${numbered(i, LANGUAGE_NAMES[l])}`, data: 'x' }])],
  ];
  return cases.flatMap(([where, rows]) => check(`${locale}:${where}`, rows));
}

async function menuButtons(locale: Locale): Promise<Found[]> {
  const ctx = await engineContext(locale);
  const entries = FEATURES.flatMap((f) => [...(f.menu ?? []), ...(f.staffMenu ?? [])]);
  return entries.flatMap((entry) => check(`${locale}:menu ${entry.id}`, [[{ text: numbered(9, ctx.t(entry.labelKey)), data: 'x' }]]));
}

const show = (found: Found[]) => found.map((f) => `${f.where}: "${f.text}" (${f.length} > ${f.max})`);

describe('button labels fit one line of a small phone', () => {
  it('keeps the limits the style guide gives', () => {
    expect(BUTTON_MAX).toBe(35);
    expect(buttonMax(2)).toBe(16);
  });

  it.each(LOCALES)('every scene step renders its buttons within the limit (%s)', async (locale) => {
    const { found, rendered, unrendered } = await sceneButtons(locale);
    expect(show(found)).toEqual([]);
    // Only steps that need the database go unrendered here, and each is covered by dataButtons.
    expect([...unrendered].filter((id) => !DATA_STEPS.has(id))).toEqual([]);
    expect([...DATA_STEPS].filter((id) => !rendered.has(id) && !unrendered.has(id)), 'DATA_STEPS names steps that no longer exist').toEqual([]);
    expect(rendered.size).toBeGreaterThan(40);
  });

  it.each(LOCALES)('buttons built from data fit with the longest real values (%s)', async (locale) => {
    expect(show(await dataButtons(locale))).toEqual([]);
  });

  it.each(LOCALES)('menu entries fit (%s)', async (locale) => {
    expect(show(await menuButtons(locale))).toEqual([]);
  });

  it.each(LOCALES)('volunteer mission lists keep the longest title whole in the text, not on the button (%s)', async (locale) => {
    expect(length(TITLE_100)).toBe(MISSION_TITLE_MAX);
    const { t } = await engineContext(locale);
    const text = missionListText(t, locale, [{ title: TITLE_100, place: 'Central park', startsAt: LATEST }]);
    expect(text).toContain(TITLE_100);
    expect(text.startsWith(`1. ${missionOptionLabel({ startsAt: LATEST }, locale)}`)).toBe(true);
    const label = numbered(28, missionOptionLabel({ startsAt: LATEST }, locale));
    expect(label).not.toContain('…');
    expect(length(label)).toBeLessThanOrEqual(BUTTON_MAX);
  });

  it('catches a label that is too long', () => {
    expect(check('x', [[{ text: 'x'.repeat(36), data: 'x' }]])).toHaveLength(1);
    expect(check('x', [[{ text: 'x'.repeat(17), data: 'x' }, { text: 'ok', data: 'x' }]])).toHaveLength(1);
    expect(check('x', [[{ text: 'x'.repeat(35), data: 'x' }]])).toEqual([]);
  });
});
