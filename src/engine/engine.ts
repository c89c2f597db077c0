import type { Reply } from '../telegram/types.js';
import { readAnswer } from './read-answer.js';
import { renderStep } from './render-step.js';
import { nextAfterEdit, nextStep, pruneAnswers } from './steps.js';
import type { Answers, EngineOutcome, Input, SceneDef, SceneState, StepContext, StepDef } from './types.js';

/**
 * The scene engine: (scene state, input) → (new state, replies). It never re-runs earlier
 * steps, so a side effect (in `complete` or a `check`) happens once per accepted input.
 */

const DEFAULT_INACTIVITY_SECONDS = 30 * 60;

export function lifetimeMs(def: SceneDef): number {
  return def.draftDays ? def.draftDays * 24 * 60 * 60 * 1000 : (def.inactivitySeconds ?? DEFAULT_INACTIVITY_SECONDS) * 1000;
}

/** Sliding expiry: every accepted input pushes the deadline out again. */
function touch(def: SceneDef, state: SceneState, now: number): SceneState {
  return { ...state, touchedAt: now, expiresAt: now + lifetimeMs(def) };
}

export function isExpired(state: SceneState, now: number): boolean {
  return now > state.expiresAt;
}

function stepOf(def: SceneDef, id: string): StepDef {
  const step = def.steps.find((s) => s.id === id);
  if (!step) throw new Error(`Scene ${def.id} has no step ${id}`);
  return step;
}

/** Renders the current step and remembers the options it showed. */
export async function present(def: SceneDef, state: SceneState, ctx: StepContext, before: Reply[] = []): Promise<EngineOutcome> {
  const rendered = await renderStep(def, state, ctx);
  const next: SceneState = { ...state };
  if (rendered.shown) next.shown = rendered.shown;
  else delete next.shown;
  return { state: next, replies: [...before, ...rendered.replies] };
}

export async function startScene(def: SceneDef, ctx: StepContext, seed: Answers = {}): Promise<EngineOutcome> {
  let answers = { ...seed };
  if (def.enter) {
    const entered = await def.enter(ctx, seed);
    if ('refuse' in entered) return { state: null, replies: entered.refuse, ended: 'refused', showMenu: entered.showMenu ?? true };
    answers = { ...answers, ...entered.answers };
  }
  const first = nextStep(def, answers, null);
  if (!first) throw new Error(`Scene ${def.id} has no steps`);
  const now = ctx.deps.now().getTime();
  const state: SceneState = touch(def, { id: def.id, version: def.version, step: first.id, answers, history: [], startedAt: now, touchedAt: now, expiresAt: now }, now);
  return present(def, state, ctx);
}

/** Back: to the step answered before this one; from the first step, out to the menu. */
export async function goBack(def: SceneDef, state: SceneState, ctx: StepContext): Promise<EngineOutcome> {
  const history = [...state.history];
  const previous = history.pop();
  if (!previous) {
    // The scene may lead back elsewhere (it started the next scene itself), like complete().
    if (def.backFromStart && (await def.backFromStart(state.answers, ctx))) return { state: null, replies: [], ended: 'completed', showMenu: false };
    return { state: null, replies: [], ended: 'menu' };
  }
  const { selection: _selection, pickingEdit: _picking, editing: _editing, ...rest } = state;
  const back: SceneState = { ...rest, step: previous, history };
  const step = stepOf(def, previous);
  if (step.kind === 'choice' && step.multi && Array.isArray(state.answers[previous])) back.selection = state.answers[previous] as string[];
  return present(def, touch(def, back, ctx.deps.now().getTime()), ctx);
}

/**
 * Marks a tapped question with the chosen answer and takes its buttons away (no stale taps). The
 * answer is said in words ("Your answer: …"): an arrow alone is read out as "right arrow".
 */
function markAnswered(input: Input, label: string | undefined, ctx: StepContext): Reply[] {
  if (input.kind !== 'callback' || input.messageId === undefined || !input.messageText || !label) return [];
  return [{ kind: 'edit', messageId: input.messageId, text: `${input.messageText}\n\n${ctx.t('common:answered', { label })}` }];
}

async function advance(def: SceneDef, state: SceneState, stepId: string, value: unknown, ctx: StepContext, before: Reply[]): Promise<EngineOutcome> {
  const answers = pruneAnswers(def, { ...state.answers, [stepId]: value });
  const step = stepOf(def, stepId);
  // A contact or location keyboard stays on screen until a message takes it away.
  if (step.kind === 'phone' || step.kind === 'location') before.push({ kind: 'text', text: ctx.t('common:answer-saved'), keyboard: 'remove' });
  const next = state.editing ? nextAfterEdit(def, answers) : nextStep(def, answers, stepId);
  if (!next) return finish(def, answers, ctx, before);
  const { selection: _s, editing: _e, pickingEdit: _p, ...rest } = state;
  const moved: SceneState = { ...rest, answers, step: next.id, history: [...state.history, stepId] };
  // An edit that opened new questions keeps going to the unanswered ones, then back to the summary.
  if (state.editing && next.kind !== 'confirm') moved.editing = true;
  if (next.kind === 'choice' && next.multi && Array.isArray(answers[next.id])) moved.selection = answers[next.id] as string[];
  return present(def, touch(def, moved, ctx.deps.now().getTime()), ctx, before);
}

async function finish(def: SceneDef, answers: Answers, ctx: StepContext, before: Reply[]): Promise<EngineOutcome> {
  const result = await def.complete(answers, ctx);
  return { state: null, replies: [...before, ...result.replies], ended: 'completed', showMenu: result.showMenu ?? true };
}

/** One input while the scene is on `state.step`. */
export async function handleInput(def: SceneDef, state: SceneState, input: Input, ctx: StepContext): Promise<EngineOutcome> {
  const step = stepOf(def, state.step);
  const now = ctx.deps.now().getTime();
  const read = readAnswer(step, state, input, ctx);

  if (read.ok === 'toggled') {
    const toggled = touch(def, { ...state, selection: read.selection }, now);
    if (input.kind === 'callback' && input.messageId !== undefined) {
      const rendered = await renderStep(def, toggled, ctx);
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
    if (state.pickingEdit) {
      const target = stepOf(def, String(read.value));
      const editing: SceneState = { ...state, step: target.id, editing: true, history: [...state.history, step.id] };
      delete editing.pickingEdit;
      if (target.kind === 'choice' && target.multi && Array.isArray(state.answers[target.id])) editing.selection = state.answers[target.id] as string[];
      return present(def, touch(def, editing, now), ctx, marked);
    }
    if (read.value === '__edit') return present(def, touch(def, { ...state, pickingEdit: true }, now), ctx, marked);
    return finish(def, pruneAnswers(def, state.answers), ctx, marked);
  }

  if (step.check) {
    const verdict = await step.check(read.value, state.answers, ctx);
    if (verdict && 'errorKey' in verdict) return present(def, touch(def, state, now), ctx, [{ kind: 'text', text: ctx.t(verdict.errorKey, verdict.params) }]);
    if (verdict && 'end' in verdict) return { state: null, replies: verdict.end, ended: 'refused', showMenu: verdict.showMenu ?? true };
  }

  const label = read.picked?.label ?? (Array.isArray(read.value) && state.shown ? state.shown.filter((o) => (read.value as string[]).includes(o.value)).map((o) => o.label).join(', ') : undefined);
  return advance(def, state, step.id, read.value, ctx, markAnswered(input, label, ctx));
}
