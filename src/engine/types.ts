import type { ZodType } from 'zod';
import type { GeoPoint } from '../domain/geo.js';
import type { Input, Locale, Reply } from '../telegram/types.js';
import type { Permission } from '../app/access.js';
import type { SceneContext } from './context.js';
import type { AnswerCheck, StoredAnswers } from './answers.js';

/**
 * Scenes are data: a list of steps with prompts (i18n keys), an input kind and a schema.
 * The engine (engine.ts) is the only code that interprets them, so every scene gets the
 * same Back / Cancel / Menu / Language behaviour, re-prompts and progress line for free.
 */

/** Stored answers (JSON), read through the scene's schema before any hook sees them: answers.ts. */
export type { StoredAnswers } from './answers.js';

/** What a step's callbacks may read besides the answers: see context.ts. */
export type StepContext = SceneContext;

/** A scene to open after this one, with the answers it starts from. */
export interface NextScene {
  scene: string;
  seed?: Record<string, unknown>;
}

/** A prompt: an i18n key, optionally with parameters computed from the answers. */
export interface PromptSpec {
  key: string;
  params?: Record<string, unknown>;
}

/** How a step that reads sentences reads its own words (engine/sentence-options.ts). */
export interface SentenceRules {
  /**
   * The options are times ("Weekends"): a sentence saying the person works, studies or is on
   * shift then ("по выходным работаю", "I work on weekends") says they are busy, and is asked again.
   */
  times?: boolean;
  /**
   * Words of the labels that fit more options than the one they are in ("уход" of "Стационарный
   * уход" is home care too, "жұмыс" of "Жұмыс күндері" is any work): alone they name nothing;
   * beside the label's word next to them ("жұмыс күндері") they still do.
   */
  vague?: readonly string[];
}

export interface ChoiceOption {
  /** Stored as the answer; must be short (it travels in callback data as an index, not raw). */
  value: string;
  /** i18n key of the label, or a literal label (for data such as region or mission names). */
  labelKey?: string;
  label?: string;
  /** Other typed words that pick this option (any language), e.g. "Нур-Султан" for Astana. */
  aliases?: string[];
}

interface StepBase<A> {
  id: string;
  /** i18n key of the question. */
  prompt: string;
  /**
   * Parameters of the question; a string `promptKey` among them asks with that key instead of
   * `prompt`. Pure: it runs again on every re-prompt, so it only computes (see `before`).
   */
  promptParams?: (answers: Partial<A>, ctx: StepContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Runs once each time the step is entered (not when the same question is asked again after
   * a mistake): replies sent before the question, e.g. previews, and typed answers to remember.
   */
  before?: (answers: Partial<A>, ctx: StepContext) => Promise<StepEntry<A>> | StepEntry<A>;
  /** Skip this step unless the answers so far make it relevant. */
  when?: (answers: Partial<A>) => boolean;
  /** Label of this answer in the summary (i18n key); defaults to `<ns>:<step>.summary`. */
  summaryKey?: string;
  /** How the answer reads in the summary; defaults to the option label or the raw value. */
  summarize?: (value: unknown, answers: Partial<A>, ctx: StepContext) => string;
  /**
   * A check that needs the outside world (a duplicate application, an age rule that ends the
   * scene). Runs after the schema passed; may turn the answer down or end the scene.
   */
  check?: (value: unknown, answers: Partial<A>, ctx: StepContext) => Promise<StepCheck<A>> | StepCheck<A>;
}

export interface StepEntry<A> {
  replies: Reply[];
  /** Kept with the answers (fields of the scene's schema), e.g. which previews were sent. */
  remember?: Partial<A>;
}

export type StepCheck<A = StoredAnswers> =
  | undefined
  /**
   * Accepted; `replies` go out before the next question (e.g. the map pin of a chosen centre);
   * `remember`: fields of the scene's schema kept with the answers, e.g. how the answer came
   * (a forwarded message). An undefined field is cleared: what an earlier answer left goes.
   */
  | { ok: true; replies?: Reply[]; remember?: { [K in keyof A]?: A[K] | undefined } }
  /** Turn the answer down: the message, then the same question again. */
  | { errorKey: string; params?: Record<string, unknown> }
  /** Stop the scene here with these replies (e.g. under-age volunteers), then the menu. */
  | { end: Reply[]; showMenu?: boolean };

export interface ChoiceStep<A = unknown> extends StepBase<A> {
  kind: 'choice';
  options: ChoiceOption[] | ((answers: Partial<A>, ctx: StepContext) => Promise<ChoiceOption[]> | ChoiceOption[]);
  /** Several answers (toggle buttons and a Done button); the answer is a string[]. */
  multi?: { min?: number; max?: number };
  /** Buttons per row (default 1; region lists read better in 2). */
  columns?: number;
  /**
   * Added to the step id in the buttons' callback data. A step shown again with other options
   * (the next page of results) gets a new tag, so a tap on an earlier screen's button reads as
   * stale instead of picking whatever now has the same number. Without one, the buttons carry a
   * mark of the options' values (optionsMark), which covers lists that depend on earlier answers.
   */
  callbackTag?: (answers: Partial<A>) => string;
  /**
   * The value a typed answer names when no number, label or alias picks it: a region written in
   * a sentence ("в Карагандинской области"), an age for an age group. It counts only if that
   * option is on the list shown. An error key turns the answer down (an age no one has); its
   * message gets the number of options as `count`, for "or type its number, from 1 to 2". `now`
   * is the bot's clock: a year of birth typed for an age is read as of today.
   */
  typed?: (text: string, now: Date) => string | null | { errorKey: string; params?: Record<string, unknown> };
  /**
   * A typed sentence that names one option by its words answers the step ("могу помогать по
   * выходным", "I can help on weekends"; engine/sentence-options.ts), unless it asks, names two,
   * or says "not" or "if". For the bot's own labels where a wrong guess costs only a Back: not for
   * lists of titles or names, nor where a pick deletes, sends or decides something. Rules of the
   * step's own words (SentenceRules) read its sentences closer.
   */
  sentences?: boolean | SentenceRules;
  /**
   * The value a shared location (or a place picked on Telegram's map, a venue) names: the region
   * around it. An error key turns the place down (one abroad); a value not on the list shown is no
   * answer. The person is told which option was taken, so a wrong guess can be changed with Back.
   */
  located?: (point: GeoPoint) => { value: string } | { errorKey: string };
}

export interface TextStep<A = unknown> extends StepBase<A> {
  kind: 'text';
  /** Runs on the cleaned text; issue messages are i18n keys (e.g. 'errors:text.too-short'). */
  schema: ZodType<unknown>;
  /** Longest text the step reads at all (default MAX_TEXT, 2,000); a longer one gets errors:too-long. */
  maxLength?: number;
  /**
   * A text offered as the answer (a draft made from other data, or the current answer when it is
   * changed from the summary): shown under the question with a "Keep this text" button. The
   * button, its number or its words keep it; anything else typed is the answer. The kept text
   * passes the same schema and check as a typed one. Pure and synchronous: it runs again
   * whenever the question is asked and when the answer is read. Empty or undefined: no offer.
   */
  suggest?: (answers: Partial<A>, ctx: StepContext) => string | undefined;
}

export interface NumberStep<A = unknown> extends StepBase<A> {
  kind: 'number';
  /** Runs on the typed number (spaces and group separators removed). */
  schema: ZodType<unknown>;
  /** Parse the typed text to a number (default: integers, "1 500" and "1,500" allowed). */
  parse?: (text: string) => number | null;
  /** Message when the text is no number this step takes (default errors:number, "for example: 5", which misleads for a sum or a year). */
  invalidKey?: string;
}

export interface PhoneStep<A = unknown> extends StepBase<A> {
  kind: 'phone';
}

export interface LocationStep<A = unknown> extends StepBase<A> {
  kind: 'location';
  /** Offer the 20 regions as buttons as well as the location button. */
  allowRegion: boolean;
  /** Offer a "skip" option (answer null), e.g. an optional mission location. */
  optional?: boolean;
}

export interface DateStep<A = unknown> extends StepBase<A> {
  kind: 'date';
  /** Runs on the parsed date (as an ISO string) after parsing DD.MM.YYYY [HH:MM] in Kazakhstan time. */
  schema?: ZodType<unknown>;
  withTime?: boolean;
}

export interface ConsentStep<A = unknown> extends StepBase<A> {
  kind: 'consent';
  /** Shown when the user declines; the scene ends and nothing is stored. */
  declinedKey: string;
  /**
   * Labels of the two answers when "I agree / I do not agree" would be the wrong words, e.g. a
   * teenager asked whether a parent agrees. Default: common:consent.agree / common:consent.decline.
   */
  agreeKey?: string;
  declineKey?: string;
}

export interface ConfirmStep<A = unknown> extends StepBase<A> {
  kind: 'confirm';
  /** Steps the user may go back to from the summary; defaults to every step. */
  editable?: string[];
  /** Label of the submit button (i18n key), e.g. 'grant:confirm.submit'. */
  submitKey?: string;
  /**
   * One "change" button per named step on the summary itself, instead of "Change an answer"
   * and a list of answers to pick from: for short forms where every answer is worth a button.
   */
  changeButtons?: Array<{ step: string; labelKey: string }>;
}

export type StepDef<A = unknown> =
  | ChoiceStep<A>
  | TextStep<A>
  | NumberStep<A>
  | PhoneStep<A>
  | LocationStep<A>
  | DateStep<A>
  | ConsentStep<A>
  | ConfirmStep<A>;

/** Answer of a location step (its schema is in answers.ts). */
export type { LocationAnswer } from './answers.js';

/** What happens when a scene ends: the router sends the replies, then acts on the rest. */
export interface SceneResult {
  replies: Reply[];
  /** After the final replies: show the main menu (default true; not when `next` is set). */
  showMenu?: boolean;
  /** Open this scene next (a result list after a search); its first question follows the replies. */
  next?: NextScene;
  /** Changes to the features' data kept between scenes (`session.data`); undefined removes a key. */
  data?: Record<string, unknown>;
  /** Delete the whole session instead of saving it ("delete my data"). */
  eraseSession?: boolean;
}

/**
 * A form. `A` is the type of its answers as `complete` receives them, from the zod object given
 * to `defineScene` (scene.ts): every step's answer and every value the scene keeps besides them
 * (a seed, a rate fixed at entry) is a named field there, so nothing is hidden or cast.
 */
export interface SceneDef<A> {
  id: string;
  /** Bump when steps change: drafts of an older version are restarted with a message. */
  version: number;
  /** i18n namespace of the scene's texts (e.g. 'grant'). */
  namespace: string;
  /** i18n key of the scene's title, used in "continue your X?" and expiry notices. */
  titleKey: string;
  steps: Array<StepDef<A>>;
  /** The scene's answers schema, checked before every hook (see answers.ts). */
  answers: AnswerCheck<A>;
  /**
   * Short scenes expire after this many seconds without input (sliding). Long forms set
   * `draftDays` instead: leaving them keeps a draft that is offered again.
   */
  inactivitySeconds?: number;
  draftDays?: number;
  /** Who may enter (default: everyone). */
  roles?: Array<'citizen' | 'staff' | 'admin'>;
  /**
   * The permission the scene acts with. The router checks it on entry and again before EVERY
   * input is handled (typed answers, taps, Back, language change), so a member whose access was
   * withdrawn or narrowed is taken out at their next input, before anything is read or changed.
   */
  permission?: Permission;
  /**
   * The region or topic the scene is acting on, from the answers so far (e.g. the region of the
   * application being reviewed); checked with `permission` before every input.
   */
  scope?: (answers: Partial<A>, ctx: StepContext) => Promise<AccessScope | undefined> | AccessScope | undefined;
  /**
   * Runs before the first step: may add answers to the seed (checked by the schema like any
   * other) or refuse entry (e.g. "you are already a volunteer").
   */
  enter?: (ctx: StepContext, seed: Partial<A>) => Promise<{ answers?: Partial<A> } | { refuse: Reply[]; showMenu?: boolean }>;
  /** The one place with side effects: called once with the answers, parsed by the scene's schema. */
  complete: (answers: A, ctx: StepContext) => Promise<SceneResult>;
  /**
   * Back from the first step: may name another scene to open (the previous page of a result
   * list); otherwise Back leaves to the menu as usual.
   */
  backFromStart?: (answers: Partial<A>, ctx: StepContext) => Promise<NextScene | undefined>;
}

/** What the session keeps about a scene in progress. JSON only. */
export interface SceneState {
  id: string;
  version: number;
  step: string;
  answers: StoredAnswers;
  /** Steps answered, in order, so Back follows the path actually taken. */
  history: string[];
  /** Pending selection of a multi-choice step. */
  selection?: string[];
  /** Options shown for the current choice step, so a tap or typed number maps to what the user saw. */
  shown?: Array<{ value: string; label: string; aliases?: string[]; kazakh?: string }>;
  /** Set while the user edits one answer from the summary: return to the summary after it. */
  editing?: boolean;
  /** On the summary, the user asked which answer to change. */
  pickingEdit?: boolean;
  /** Message id of the last question, so a tapped answer can be marked on it. */
  promptMessageId?: number;
  startedAt: number;
  touchedAt: number;
  expiresAt: number;
}

export interface EngineOutcome {
  /** The scene's state after the input, or null when the scene ended. */
  state: SceneState | null;
  replies: Reply[];
  /** Why it ended: the menu is shown for 'completed'/'cancelled'/'menu' unless the scene said otherwise. */
  ended?: 'completed' | 'cancelled' | 'menu' | 'refused' | 'declined' | 'expired';
  showMenu?: boolean;
  /** What the router does after the replies (from `complete` or `backFromStart`). */
  next?: NextScene;
  data?: Record<string, unknown>;
  eraseSession?: boolean;
}

/** A region or inquiry topic an action touches. */
export interface AccessScope {
  region?: string;
  topic?: string;
}

export type NavAction = 'back' | 'cancel' | 'menu' | 'language';

export type { Input, Locale, Reply };
