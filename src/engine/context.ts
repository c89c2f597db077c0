import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Translate } from '../i18n/index.js';
import type { Services } from '../services/index.js';
import type { Locale, UpdateMeta } from '../telegram/types.js';
import type { Access } from '../app/access.js';
import type { Logger } from '../logger.js';
import type { DeliveryQueue } from '../delivery/types.js';
import type { ApiCaller } from '../telegram/api-caller.js';

/**
 * What scene hooks may call: the records' services, the clock, and for `complete` the ways out
 * of the update (the delivery queue; the Bot API for the staff group's forum topics; Redis for
 * the pacing slot of relayed answers). No session store, no reply queue, no router.
 */
export interface SceneDeps {
  readonly services: Services;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly delivery: DeliveryQueue;
  readonly redis: Redis;
  readonly telegram?: ApiCaller;
  /** Limits and switches the forms read (open inquiries per person, paid broadcasts). */
  readonly config: Config;
  /** The bot's @username, for deep links. */
  readonly botUsername?: string;
}

/**
 * What the engine and the scene hooks see of an update. It is narrow on purpose: no reply
 * queue, no way to start a scene, no writable session. A hook says what happens by what it
 * returns (replies, the next scene, changes to the feature data), and the router acts on it.
 */
export interface SceneContext {
  readonly meta: UpdateMeta;
  readonly locale: Locale;
  readonly t: Translate;
  /**
   * The texts of any of the three languages: a button's words typed in another language than the
   * person's (many who use the bot in Kazakh type in Russian), or in the one they left mid-form.
   */
  readonly tIn: (locale: Locale) => Translate;
  readonly deps: SceneDeps;
  /** Staff roles and scope, read fresh once per update (never from the session). */
  access(): Promise<Access | null>;
  role(): Promise<'citizen' | 'staff' | 'admin'>;
  /** The features' data kept between scenes (the last search), as it is now: read-only here. */
  readonly session: {
    readonly data?: Readonly<Record<string, unknown>>;
    /** Unfinished forms kept as drafts, by scene id ("My data" counts them). */
    readonly drafts?: Readonly<Record<string, unknown>>;
  };
}
