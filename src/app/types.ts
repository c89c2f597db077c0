import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { ApiCaller } from '../telegram/api-caller.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Input, Locale, Reply, UpdateMeta } from '../telegram/types.js';
import type { SceneState, StoredAnswers } from '../engine/types.js';
import type { Scene } from '../engine/scene.js';
import type { SceneContext } from '../engine/context.js';
import type { Services } from '../services/index.js';
import type { RecordLock } from '../services/record-lock.js';
import type { DeliveryQueue } from '../delivery/types.js';
import type { DeliveryRegistration } from '../delivery/hooks.js';
import type { Translate } from '../i18n/index.js';
import type { Access, Permission } from './access.js';

export type Role = 'citizen' | 'staff' | 'admin';

/** The per-chat state kept in Redis between updates. JSON only; encrypted at rest. */
export interface Session {
  locale?: Locale;
  /** The language picker is open (from /language or the Language button), over any scene. */
  pickingLanguage?: boolean;
  scene?: SceneState;
  /** Long forms left half-way, by scene id, offered again until they expire. */
  drafts?: Record<string, SceneState>;
  /** A scene waiting for "continue or start over?" */
  resumeOffer?: string;
  /** Free space for features between scenes (e.g. the last centre search, for paging). */
  data?: Record<string, unknown>;
  /** Set by "delete my data": the pipeline removes the session instead of saving it. */
  erase?: boolean;
  /** When the user record was last synced with MongoDB (ms), to avoid a write per update. */
  syncedAt?: number;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  services: Services;
  delivery: DeliveryQueue;
  now: () => Date;
  /** The bot's @username, known after getMe; used in deep links. */
  botUsername?: string;
  /** The records' connection (staff access look-ups). */
  connection: Connection;
  /** Direct Bot API calls outside a reply (forum topics in the staff group); set by createBot. */
  telegram?: ApiCaller;
}

/** Everything a command, button handler or scene callback sees. */
export interface HandlerContext {
  meta: UpdateMeta;
  locale: Locale;
  t: Translate;
  /** Another language's texts, for words typed in it (see SceneContext.tIn). */
  tIn: (locale: Locale) => Translate;
  session: Session;
  deps: AppDeps;
  /**
   * Admin (ADMIN_IDS, or a member with the admin role), staff (any other staff role) or citizen;
   * derived from access(), so just as fresh.
   */
  role(): Promise<Role>;
  /**
   * The user's staff roles and scope (null for citizens), read once per update from the
   * write-through cache of the records (never from the session), so a change made by another
   * process holds from the very next input.
   */
  access(): Promise<Access | null>;
  /** Queue replies to send, in order, after the handler returns. */
  reply(...replies: Reply[]): void;
  /**
   * Enter a scene (its first question is queued as a reply). For commands and buttons; scene
   * hooks name the next scene in what they return instead (SceneResult.next).
   */
  startScene(sceneId: string, seed?: StoredAnswers): Promise<void>;
  /** Queue the main menu. */
  showMenu(): Promise<void>;
}

export interface MenuEntry {
  id: string;
  /** i18n key of the label. */
  labelKey: string;
  /** Lower comes first. */
  order: number;
  /** Who sees it (default everyone). */
  roles?: Role[];
  /** Shown to, and run for, only users who hold this permission (checked again on every tap or typed pick). */
  permission?: Permission;
  /** Enter this scene, or run the handler. */
  scene?: string;
  run?: (ctx: HandlerContext) => Promise<void>;
}

export interface CommandDef {
  /** Without the slash, lowercase. */
  command: string;
  /** i18n key of the description in the command list; omit to keep it out of the list. */
  descriptionKey?: string;
  roles?: Role[];
  /** Needed to run the command; checked on every use. */
  permission?: Permission;
  run: (ctx: HandlerContext, args: string) => Promise<void>;
  /**
   * What the command says in the middle of a form, before the form's question is asked again
   * (help, which explains Back and Cancel). Without it the command asks to finish the form first.
   */
  inForm?: (ctx: HandlerContext) => Reply[];
}

export interface CallbackDef {
  /** Callback data starting with `<prefix>:` goes to this handler (prefix without colon). */
  prefix: string;
  roles?: Role[];
  /** Needed for every tap on these buttons; a refused tap is audited. */
  permission?: Permission;
  /** `rest` is the data after `<prefix>:`. */
  run: (ctx: HandlerContext, rest: string, messageId: number | undefined) => Promise<void>;
}

/** A piece of "My data": what a feature stores about a user, and how to erase it. */
export interface PersonalDataSection {
  id: string;
  /** Lines in the user's language; empty when the feature holds nothing about the user. */
  describe: (ctx: SceneContext) => Promise<string[]>;
  /** Deletes what it holds; says what must be kept by law, and what it could not delete. */
  erase: (ctx: SceneContext) => Promise<ErasureReport>;
}

/** What "Delete my data" tells the person a section kept, in their language, a line each. */
export interface ErasureReport {
  /** What has to be kept by law (records of state support, volunteer hours). */
  keptByLaw: string[];
  /** What the bot was not able to delete, with what happens to it next. */
  notDeleted: string[];
}

/** A feature plugs its scenes, menu entries, commands and buttons into the bot. */
export interface Feature {
  id: string;
  scenes?: Scene[];
  menu?: MenuEntry[];
  staffMenu?: MenuEntry[];
  commands?: CommandDef[];
  callbacks?: CallbackDef[];
  /** `/start <payload>` deep links whose payload starts with this prefix. */
  deepLinks?: Array<{ prefix: string; run: (ctx: HandlerContext, payload: string) => Promise<void> }>;
  personalData?: PersonalDataSection[];
  /**
   * Updates from the staff group (STAFF_CHAT_ID), which the private-chat pipeline does not serve:
   * operators' replies in forum topics and their taps on the topic's buttons. Returns true when
   * the feature handled the update.
   */
  staffChat?: (update: StaffChatUpdate, deps: AppDeps) => Promise<boolean>;
  /**
   * Typed text (or an attachment) that no menu entry matched while no form is open; or, with
   * `inScene`, a question typed at a step that wants a tap (the router then asks the step
   * again). Returns true when the feature answered.
   */
  freeText?: (ctx: HandlerContext, input: Input, inScene: boolean) => Promise<boolean>;
  /**
   * Whether a guess at a main menu entry typed outside a form now answers this feature (its
   * freeText gets it) rather than opening the entry: with a question to an operator open, "3" may
   * answer "how many children?" and «бизнес» "what kind of support?". A guess is a number, a
   * name's beginning, a word of its Kazakh text or a slip; an entry's whole name still opens it.
   * Asked only when the text names a menu entry.
   */
  takesTypedGuesses?: (ctx: HandlerContext) => Promise<boolean>;
  /**
   * An attachment (voice message, photo…) sent while a form is open, before the form reads it
   * and turns it down: e.g. a voice message given as the question in "Ask a person". Returns
   * true when the feature took it (and said or opened what comes next).
   */
  sceneAttachment?: (ctx: HandlerContext, input: Extract<Input, { kind: 'unsupported' }>) => Promise<boolean>;
  /**
   * A message the person had sent was changed (before the router tells them the change was not
   * read): e.g. a file replaced by one whose name holds an IIN, which a later copy would show.
   */
  edited?: (ctx: HandlerContext, input: Extract<Input, { kind: 'edited' }>) => Promise<void>;
  /** A scene step was reached or a scene finished (counters of where people give up). */
  sceneEvents?: (ctx: HandlerContext, event: SceneEvent) => Promise<void>;
  /** Its delivery kinds' send-time guards, and what it does with their outcomes. */
  delivery?: DeliveryRegistration;
  /**
   * Run once at every start, before updates are served (src/app/start-up.ts): back-fills of this
   * feature's records written by older versions. Each returns how many records it changed.
   */
  startUp?: Array<{ name: string; run: (mongo: Connection, locks: StartUpLocks, config?: StartUpConfig) => Promise<number> }>;
  /**
   * Run by the repair tick (src/app/repair-tick.ts) at start and every minute: each finishes
   * what a process stopped between two writes left undone (a notice owed, an audit line, a post).
   * Each must be safe to run again and from two processes at once. Returns how many it finished.
   */
  repairs?: Array<{ name: string; run: (deps: AppDeps) => Promise<number> }>;
}

/**
 * The locks a start-up task takes for records others write meanwhile: a deploy runs the tasks
 * while the previous process still serves, and on FerretDB a back-fill's write of one field is a
 * write of the whole document it read (services/user-record-lock.ts).
 */
export interface StartUpLocks {
  /** Taken per user record, as every other writer of a user record takes it. */
  userRecord: RecordLock;
  /** Taken per citizen's question (by its number), as every other writer of one takes it. */
  inquiryRecord: RecordLock;
}

/** What of the configuration a start-up task may read: the staff group (its topics' group, topic-group-backfill.ts). */
export type StartUpConfig = Pick<Config, 'STAFF_CHAT_ID'>;

export interface SceneEvent {
  scene: string;
  /** The step reached, or 'finished' when the scene completed. */
  step: string;
}

/** A raw Bot API update from the staff group, as JSON. */
export type StaffChatUpdate = { update_id: number } & Record<string, unknown>;
