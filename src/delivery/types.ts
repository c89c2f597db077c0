import type { InlineButton, Locale } from '../telegram/types.js';
import type { Permission } from '../app/access.js';

/**
 * Everything that is not a direct reply goes through one queue: announcements, mission
 * invitations and reminders, application status notices. The caller renders the text in the
 * recipient's language (a broadcast job names the language and the worker renders it, see
 * `locale`); the queue only delivers, at a shared rate, and remembers what it did.
 */
export type DeliveryKind =
  | 'broadcast'
  | 'mission-invite'
  | 'mission-reminder'
  | 'mission-notice'
  | 'grant-status'
  | 'notice'
  /** An operator's answer to a citizen's inquiry (text, or a copied attachment: RELAYABLE_MEDIA). */
  | 'inquiry-relay';

export interface DeliveryJob {
  /** Deterministic, so enqueuing the same thing twice sends it once. No ':' (BullMQ forbids it). */
  id: string;
  chatId: number;
  kind: DeliveryKind;
  /**
   * The message. Empty for a broadcast job that names its `locale` instead: the worker renders
   * the broadcast's text in that language when it sends (see DeliveryRegistration.texts).
   */
  text: string;
  /**
   * A broadcast job's language (the one its text is chosen in, fallback applied), so the job
   * need not carry the text: each of a broadcast's 200,000 jobs stays a few dozen bytes in Redis
   * and in the queueing process's memory.
   */
  locale?: Locale;
  buttons?: InlineButton[][];
  /** Send no earlier than this (scheduled broadcasts, reminders). */
  notBefore?: Date;
  /** Progress of a broadcast is counted against it. */
  broadcastId?: string;
  /** Lets a guard drop a job that is no longer wanted when its time comes (e.g. a cancelled mission). */
  ref?: string;
  /**
   * The recipient's User record id, when the sender knows it: the send-time guard then finds the
   * user by primary key (a broadcast checks every recipient, at the full rate).
   */
  recipientRef?: string;
  /**
   * Send a copy of this message (copyMessage) instead of `text`; `text` becomes its caption.
   * `withoutCaption`: the copy gets none (a round video cannot carry one; its label went before
   * it as a job of its own), and `text` is only what the job is about.
   */
  copy?: { fromChatId: number; messageId: number; withoutCaption?: boolean };
  /**
   * The staff member whose action this message carries (a decision, an invitation, an answer)
   * and what that action needed. The worker asks again at send time; a member who lost the
   * permission or the scope meanwhile gets nothing sent in their name (see ActorCheck).
   */
  actedBy?: StaffAct;
}

/** Who acted, with which permission, on what region or topic. */
export interface StaffAct {
  userId: number;
  permission: Permission;
  region?: string;
  topic?: string;
}

export interface DeliveryQueue {
  enqueue(jobs: DeliveryJob[]): Promise<void>;
  /** Drop jobs that have not been sent yet (e.g. reminders of a cancelled mission). */
  cancel(jobIds: string[]): Promise<void>;
  /**
   * "Delete my data": remove every job with a text to this chat, waiting or kept after sending
   * (broadcast jobs hold no text; the worker skips them for an erased person). Returns how many.
   */
  forgetChat?(chatId: number): Promise<number>;
  /** Drop every job of a broadcast that has not been sent yet; returns how many were removed. */
  cancelBroadcast?(broadcastId: string): Promise<number>;
  /**
   * Queue the job that queues a broadcast's recipients (one per broadcast: adding it again while
   * it waits or runs is a no-op). Without it, the broadcasts service fans out in its own process.
   */
  fanOut?(broadcastId: string): Promise<void>;
  /**
   * Queue a staff member's CSV export of grant applications (one per requester: asking again
   * while one waits or runs is a no-op and answers 'in-flight'). Built and sent by a job, never
   * inside the update.
   */
  exportGrants?(request: GrantExportRequest): Promise<'queued' | 'in-flight'>;
}

/** What the export job needs; the requester's access is checked again when it runs. */
export interface GrantExportRequest {
  /** Unique per request: the marker that the file went out is kept under it. */
  requestId: string;
  userId: number;
  chatId: number;
  locale: Locale;
  /** Asked for names, IINs and phones in full; granted only if they are an admin when it runs. */
  full: boolean;
}

/**
 * The text of a job queued without one (`text` empty, `locale` set), rendered at send time;
 * undefined when there is none any more (the broadcast is gone). Registered per kind by features.
 */
export type DeliveryText = (job: DeliveryJob) => Promise<string | undefined>;

/** Decides at send time whether a job is still wanted; registered per kind by features. */
export type DeliveryGuard = (job: DeliveryJob) => Promise<boolean>;

/**
 * Told when a job is withheld because the staff member it acts for lost the permission or the
 * scope (just before the refusal is audited), so the feature can ask another member to take it
 * over. It may run twice for one job (a retry after a failed audit write): it must be idempotent.
 */
export type WithheldHandler = (job: DeliveryJob) => Promise<void>;

/** What became of one job, reported once per job (never again on a retry or a restart). */
export interface DeliveryOutcome {
  status: 'sent' | 'failed' | 'blocked' | 'skipped';
  /** Why it failed (the Bot API description) or was skipped; never personal data. */
  reason?: string;
  /**
   * For broadcast jobs: the broadcast's running totals (sent, failed, blocked, skipped) counted
   * in Redis atomically with this job's "done" marker, so a crash can neither lose nor repeat one.
   */
  totals?: Record<string, number>;
}

/** Job ids travel into Redis key names and BullMQ forbids ':' in them. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_.-]{1,200}$/;
