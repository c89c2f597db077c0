import type { Reply } from '../telegram/types.js';
import { readAnswer } from './read-answer.js';
import { applicableSteps, nextAfterEdit, nextStep, pruneAnswers } from './steps.js';
import { CHANGE, renderStep } from './render-step.js';
import type { EngineOutcome, Input, SceneDef, SceneResult, SceneState, StepContext, StepDef, StoredAnswers } from './types.js';

/**
 * The scene engine: (scene state, input) → (new state, replies, what happens next). It never
 * re-runs earlier steps, so a side effect (in `complete` or a `check`) happens once per
 * accepted input; it never calls back into the router: a next scene is part of its outcome.
 */

const DEFAULT_INACTIVITY_SECONDS = 30 * 60;

export function lifetimeMs(def: { draftDays?: number; inactivitySeconds?: number }): number {
  return def.draftDays ? def.draftDays * 24 * 60 * 60 * 1000 : (def.inactivitySeconds ?? DEFAULT_INACTIVITY_SECONDS) * 1000;
}

/** Sliding expiry: every accepted input pushes the deadline out again. */
function touch<A>(def: SceneDef<A>, state: SceneState, now: number): SceneState {
  return { ...state, touchedAt: now, expiresAt: now + lifetimeMs(def) };
}

export function isExpired(state: SceneState, now: number): boolean {
  return now > state.expiresAt;
}

function stepOf<A>(def: SceneDef<A>, id: string): StepDef<A> {
  const step = def.steps.find((s) => s.id === id);
  if (!step) throw new Error(`Scene ${def.id} has no step ${id}`);
  return step;
}

/** The stored answers through the scene's schema: one that no longer passes is dropped (and asked again). */
function checked<A extends StoredAnswers>(def: SceneDef<A>, state: SceneState): SceneState {
  const draft = def.answers.draft(state.answers);
  return draft === state.answers ? state : { ...state, answers: draft };
}

/** Renders the current step and remembers the options it showed. Pure: asking again re-sends nothing else. */
export async function present<A extends StoredAnswers>(def: SceneDef<A>, state: SceneState, ctx: StepContext, before: Reply[] = []): Promise<EngineOutcome> {
  const current = checked(def, state);
  const rendered = await renderStep(def, current, def.answers.draft(current.answers), ctx);
  const next: SceneState = { ...current };
  if (rendered.shown) next.shown = rendered.shown;
  else delete next.shown;
  return { state: next, replies: [...before, ...rendered.replies] };
}

/** A step reached (not asked again): its `before` hook runs once, then the question. */
async function enter<A extends StoredAnswers>(def: SceneDef<A>, state: SceneState, ctx: StepContext, before: Reply[] = []): Promise<EngineOutcome> {
  const step = stepOf(def, state.step);
  if (!step.before) return present(def, state, ctx, before);
  const entry = await step.before(def.answers.draft(state.answers), ctx);
  const answers: StoredAnswers = entry.remember ? { ...state.answers, ...entry.remember } : state.answers;
  return present(def, { ...state, answers }, ctx, [...before, ...entry.replies]);
}

export async function startScene<A extends StoredAnswers>(def: SceneDef<A>, ctx: StepContext, seed: StoredAnswers = {}): Promise<EngineOutcome> {
  let answers: StoredAnswers = def.answers.draft(seed);
  if (def.enter) {
    const entered = await def.enter(ctx, def.answers.draft(answers));
    if ('refuse' in entered) return { state: null, replies: entered.refuse, ended: 'refused', showMenu: entered.showMenu ?? true };
    answers = def.answers.draft({ ...answers, ...entered.answers });
  }
  const first = nextStep(def, def.answers.draft(answers), null);
  if (!first) throw new Error(`Scene ${def.id} has no steps`);
  const now = ctx.deps.now().getTime();
  const state: SceneState = touch(def, { id: def.id, version: def.version, step: first.id, answers, history: [], startedAt: now, touchedAt: now, expiresAt: now }, now);
  return enter(def, state, ctx);
}

/** Back: to the step answered before this one; from the first step, out to the menu or where the scene says. */
export async function goBack<A extends StoredAnswers>(def: SceneDef<A>, stored: SceneState, ctx: StepContext): Promise<EngineOutcome> {
  const state = checked(def, stored);
  const history = [...state.history];
  const previous = history.pop();
  if (!previous) {
    const next = def.backFromStart ? await def.backFromStart(def.answers.draft(state.answers), ctx) : undefined;
    if (next) return { state: null, replies: [], ended: 'completed', showMenu: false, next };
    return { state: null, replies: [], ended: 'menu' };
  }
  const { selection: _selection, pickingEdit: _picking, editing: _editing, ...rest } = state;
  const back: SceneState = { ...rest, step: previous, history };
  const step = stepOf(def, previous);
  const earlier = state.answers[previous];
  if (step.kind === 'choice' && step.multi && isStringList(earlier)) back.selection = earlier;
  return enter(def, touch(def, back, ctx.deps.now().getTime()), ctx);
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * Marks a tapped question with the chosen answer and takes its buttons away (no stale taps). The
 * answer is said in words ("Your answer: …"): an arrow alone is read out as "right arrow".
 */
function markAnswered(input: Input, label: string | undefined, ctx: StepContext): Reply[] {
  if (input.kind !== 'callback' || input.messageId === undefined || !input.messageText || !label) return [];
  return [{ kind: 'edit', messageId: input.messageId, text: `${input.messageText}\n\n${ctx.t('common:answered', { label })}` }];
}

/**
 * A region read from a shared location is a guess (the region whose centre is nearest), so the
 * person is told which one was taken; while a question follows, Back can still change it.
 */
function locatedNote(label: string | undefined, hasNext: boolean, ctx: StepContext): Reply[] {
  if (label === undefined) return [];
  return [{ kind: 'text', text: ctx.t(hasNext ? 'common:location.region-taken' : 'common:location.region-taken-final', { label }) }];
}

async function advance<A extends StoredAnswers>(
  def: SceneDef<A>,
  state: SceneState,
  stepId: string,
  value: unknown,
  ctx: StepContext,
  before: Reply[],
  locatedLabel?: string,
): Promise<EngineOutcome> {
  const answers = pruneAnswers(def, { ...state.answers, [stepId]: value });
  const step = stepOf(def, stepId);
  // A contact or location keyboard stays on screen until a message takes it away.
  if (step.kind === 'phone' || step.kind === 'location') before.push({ kind: 'text', text: ctx.t('common:answer-saved'), keyboard: 'remove' });
  const draft = def.answers.draft(answers);
  const next = state.editing ? nextAfterEdit(def, draft) : nextStep(def, draft, stepId);
  before.push(...locatedNote(locatedLabel, next !== null, ctx));
  if (!next) return finish(def, { ...state, answers }, ctx, before);
  const { selection: _s, editing: _e, pickingEdit: _p, ...rest } = state;
  const moved: SceneState = { ...rest, answers, step: next.id, history: [...state.history, stepId] };
  // An edit that opened new questions keeps going to the unanswered ones, then back to the summary.
  if (state.editing && next.kind !== 'confirm') moved.editing = true;
  const earlier = answers[next.id];
  if (next.kind === 'choice' && next.multi && isStringList(earlier)) moved.selection = earlier;
  return enter(def, touch(def, moved, ctx.deps.now().getTime()), ctx, before);
}

function ended(result: SceneResult, before: Reply[]): EngineOutcome {
  const outcome: EngineOutcome = { state: null, replies: [...before, ...result.replies], ended: 'completed', showMenu: result.next ? false : (result.showMenu ?? true) };
  if (result.next) outcome.next = result.next;
  if (result.data) outcome.data = result.data;
  if (result.eraseSession) outcome.eraseSession = true;
  return outcome;
}

/**
 * The last answer is in: the answers are parsed with the scene's schema and only then handed to
 * `complete`. One that does not pass (a stored value from an older release, a tampered session)
 * is dropped and its question asked again, then the user comes back to the end of the form.
 */
async function finish<A extends StoredAnswers>(def: SceneDef<A>, state: SceneState, ctx: StepContext, before: Reply[]): Promise<EngineOutcome> {
  const parsed = def.answers.complete(state.answers);
  if (parsed.ok) return ended(await def.complete(parsed.answers, ctx), before);
  const invalid = new Set(parsed.invalid);
  const answers = Object.fromEntries(Object.entries(state.answers).filter(([key]) => !invalid.has(key)));
  const step = nextAfterEdit(def, def.answers.draft(answers));
  if (!step || !invalid.has(step.id)) {
    // Not a question the user can answer again (a value the scene itself keeps): start over.
    return { state: null, replies: [...before, { kind: 'text', text: ctx.t('common:scene.updated', { title: ctx.t(def.titleKey) }), keyboard: 'remove' }], ended: 'refused', showMenu: true };
  }
  const { selection: _s, pickingEdit: _p, ...rest } = state;
  const again: SceneState = { ...rest, answers, step: step.id, editing: true };
  return enter(def, touch(def, again, ctx.deps.now().getTime()), ctx, [...before, { kind: 'text', text: ctx.t('errors:answer-again') }]);
}

/**
 * From the summary to one answer, to be changed; answered, it comes back to the summary. A step
 * that does not apply to these answers (a tampered session) asks the summary again instead.
 */
async function changeAnswer<A extends StoredAnswers>(def: SceneDef<A>, state: SceneState, targetId: string, ctx: StepContext, marked: Reply[]): Promise<EngineOutcome> {
  const now = ctx.deps.now().getTime();
  const target = applicableSteps(def, def.answers.draft(state.answers)).find((s) => s.id === targetId && s.kind !== 'confirm');
  const { pickingEdit: _p, ...rest } = state;
  if (!target) return present(def, touch(def, rest, now), ctx, [{ kind: 'toast', text: ctx.t('errors:stale-button') }]);
  const editing: SceneState = { ...rest, step: target.id, editing: true, history: [...state.history, state.step] };
  const earlier = state.answers[target.id];
  if (target.kind === 'choice' && target.multi && isStringList(earlier)) editing.selection = earlier;
  return enter(def, touch(def, editing, now), ctx, marked);
}

/** One input while the scene is on `state.step`. */
export async function handleInput<A extends StoredAnswers>(def: SceneDef<A>, stored: SceneState, input: Input, ctx: StepContext): Promise<EngineOutcome> {
  const state = checked(def, stored);
  const step = stepOf(def, state.step);
  const now = ctx.deps.now().getTime();
  const draft = def.answers.draft(state.answers);
  const read = readAnswer(step, state, draft, input, ctx);

  if (read.ok === 'toggled') {
    const toggled = touch(def, { ...state, selection: read.selection }, now);
    if (input.kind === 'callback' && input.messageId !== undefined) {
      const rendered = await renderStep(def, toggled, draft, ctx);
      const first = rendered.replies[0];
      if (first?.kind === 'text') return { state: toggled, replies: [{ kind: 'edit', messageId: input.messageId, text: first.text, buttons: first.buttons }] };
    }
    return present(def, toggled, ctx);
  }

  if (read.ok === false) {
    const error = ctx.t(read.errorKey, read.params);
    if (read.errorKey === 'errors:stale-button') return present(def, touch(def, state, now), ctx, [{ kind: 'toast', text: error }]);
    return present(def, touch(def, state, now), ctx, [{ kind: 'text', text: error }]);
  }

  if (step.kind === 'consent' && read.value === 'no') {
    return { state: null, replies: [...markAnswered(input, read.picked?.label, ctx), { kind: 'text', text: ctx.t(step.declinedKey) }], ended: 'declined', showMenu: true };
  }

  if (step.kind === 'confirm') {
    const marked = markAnswered(input, read.picked?.label, ctx);
    if (state.pickingEdit) return changeAnswer(def, state, String(read.value), ctx, marked);
    if (typeof read.value === 'string' && read.value.startsWith(CHANGE)) return changeAnswer(def, state, read.value.slice(CHANGE.length), ctx, marked);
    if (read.value === '__edit') return present(def, touch(def, { ...state, pickingEdit: true }, now), ctx, marked);
    return finish(def, { ...state, answers: pruneAnswers(def, state.answers) }, ctx, marked);
  }

  const before: Reply[] = [];
  let answered = state;
  if (step.check) {
    const verdict = await step.check(read.value, draft, ctx);
    if (verdict && 'errorKey' in verdict) return present(def, touch(def, state, now), ctx, [{ kind: 'text', text: ctx.t(verdict.errorKey, verdict.params) }]);
    if (verdict && 'end' in verdict) return { state: null, replies: verdict.end, ended: 'refused', showMenu: verdict.showMenu ?? true };
    if (verdict?.replies) before.push(...verdict.replies);
    if (verdict?.remember) answered = { ...state, answers: withRemembered(state.answers, verdict.remember) };
  }

  const value = read.value;
  const label = read.picked?.label ?? (isStringList(value) && state.shown ? state.shown.filter((o) => value.includes(o.value)).map((o) => o.label).join(', ') : undefined);
  // What the check sends (a map pin) goes first, as it did when it was sent from inside the check.
  return advance(def, answered, step.id, value, ctx, [...before, ...markAnswered(input, label, ctx)], read.located ? label : undefined);
}

/** The answers with what a check remembers; a field it gives as undefined is taken out. */
function withRemembered(answers: StoredAnswers, remember: Record<string, unknown>): StoredAnswers {
  const merged: StoredAnswers = { ...answers };
  for (const [key, value] of Object.entries(remember)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
