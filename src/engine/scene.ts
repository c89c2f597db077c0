import type { z } from 'zod';
import type { Permission } from '../app/access.js';
import { answerCheck } from './answers.js';
import { goBack, handleInput, present, startScene } from './engine.js';
import type { ShownOption } from './options.js';
import { optionInSentence } from './sentence-options.js';
import type { AccessScope, EngineOutcome, Input, Reply, SceneDef, SceneState, StepContext, StepDef, StoredAnswers } from './types.js';

/** A scene as the features write it: everything but the schema, which `defineScene` takes first. */
export type SceneSpec<A> = Omit<SceneDef<A>, 'answers'>;

/**
 * A scene with its answer type sealed inside: what the registry and the router hold. Each
 * scene's hooks are typed by its own schema; the router only needs to run them.
 */
export interface Scene {
  readonly id: string;
  readonly version: number;
  readonly titleKey: string;
  readonly inactivitySeconds?: number;
  readonly draftDays?: number;
  readonly roles?: Array<'citizen' | 'staff' | 'admin'>;
  readonly permission?: Permission;
  /** True when the scene narrows its permission by what it acts on (see SceneDef.scope). */
  readonly scoped: boolean;
  start(ctx: StepContext, seed?: StoredAnswers): Promise<EngineOutcome>;
  input(state: SceneState, input: Input, ctx: StepContext): Promise<EngineOutcome>;
  back(state: SceneState, ctx: StepContext): Promise<EngineOutcome>;
  /** The current question again (after a language change, a resumed draft, a question typed at a tap step). */
  present(state: SceneState, ctx: StepContext, before?: Reply[]): Promise<EngineOutcome>;
  scope(answers: StoredAnswers, ctx: StepContext): Promise<AccessScope | undefined>;
  stepKind(stepId: string): StepDef['kind'] | undefined;
  /**
   * Whether a choice step's own reader (`typed`) finds an answer in this text, or a reason to turn
   * it down: "мой сын, 7 лет" is an answer to "who needs help", not a question for the FAQ.
   */
  readsTyped(stepId: string, text: string, now: Date): boolean;
  /**
   * Whether a choice step that reads sentences finds one of the options shown named in this text,
   * plainly or with a "not": "не могу по выходным" is an answer to turn down, not a question.
   */
  readsSentence(stepId: string, text: string, shown: ShownOption[]): boolean;
  /** The typed definition, for tools and tests that walk the steps. */
  open<R>(use: <A extends StoredAnswers>(def: SceneDef<A>) => R): R;
}

function seal<A extends StoredAnswers>(def: SceneDef<A>): Scene {
  const { id, version, titleKey, inactivitySeconds, draftDays, roles, permission } = def;
  return {
    id,
    version,
    titleKey,
    ...(inactivitySeconds === undefined ? {} : { inactivitySeconds }),
    ...(draftDays === undefined ? {} : { draftDays }),
    ...(roles === undefined ? {} : { roles }),
    ...(permission === undefined ? {} : { permission }),
    scoped: def.scope !== undefined,
    start: (ctx, seed) => startScene(def, ctx, seed),
    input: (state, input, ctx) => handleInput(def, state, input, ctx),
    back: (state, ctx) => goBack(def, state, ctx),
    present: (state, ctx, before) => present(def, state, ctx, before),
    scope: async (answers, ctx) => (def.scope ? def.scope(def.answers.draft(answers), ctx) : undefined),
    stepKind: (stepId) => def.steps.find((s) => s.id === stepId)?.kind,
    readsTyped: (stepId, text, now) => {
      const step = def.steps.find((s) => s.id === stepId);
      return step?.kind === 'choice' && step.typed !== undefined && step.typed(text, now) !== null;
    },
    readsSentence: (stepId, text, shown) => {
      const step = def.steps.find((s) => s.id === stepId);
      if (step?.kind !== 'choice' || !step.sentences) return false;
      return optionInSentence(text, shown, step.sentences === true ? {} : step.sentences) !== null;
    },
    open: (use) => use(def),
  };
}

/**
 * A scene over a zod object of its answers: the step hooks get the answers so far as
 * `Partial<A>`, `complete` gets them parsed as `A`.
 */
export function defineScene<S extends z.ZodRawShape>(schema: z.ZodObject<S>, spec: SceneSpec<z.output<z.ZodObject<S>>>): Scene {
  return seal({ ...spec, answers: answerCheck(schema) });
}
