import type { GrantApplicationRecord } from './grant-application.model.js';
import { TRANSITIONS } from './grant-transitions.js';
import type { GrantStatus } from './grant-status.js';

/**
 * A decision whose notice was withheld (its reviewer lost access before it was sent) waits for
 * another reviewer. These helpers say whether it still waits and what that reviewer may do.
 */

type Pending = Pick<GrantApplicationRecord, 'status' | 'history' | 'confirmation'> & Partial<Pick<GrantApplicationRecord, 'erasedAt'>>;

/** The latest decision still waits for confirmation (a newer one settles it). */
export function awaitsConfirmation(record: Pending): boolean {
  const index = record.confirmation?.index;
  return typeof index === 'number' && index === record.history.length - 1;
}

/** A withheld decision is confirmed by another reviewer than the one who took it. */
export function mayConfirm(record: Pending, reviewerId: number): boolean {
  return awaitsConfirmation(record) && record.confirmation?.by !== reviewerId;
}

/**
 * The statuses staff may move the application to. A withheld final decision may also be turned
 * into the other final one: an approval by a member whose access was withdrawn can be rejected,
 * and the reverse, before the applicant ever heard of it. No question goes to an applicant who
 * erased their data: it would never reach them, and the application would wait for ever.
 */
export function movesFor(record: Pending): GrantStatus[] {
  const moves = TRANSITIONS[record.status].filter((to) => !(record.erasedAt && to === 'more-info'));
  if (awaitsConfirmation(record)) {
    if (record.status === 'approved') moves.push('rejected');
    if (record.status === 'rejected') moves.push('approved');
  }
  return moves;
}

/** "gs-<ref>-<index>" (or a confirmation's "gs-<ref>-<index>-c<mark>"): the history entry a notice is of. */
export function noticeIndex(jobId: string): number | null {
  const match = /^gs-.+?-(\d+)(?:-c\d+)?$/.exec(jobId);
  return match ? Number(match[1]) : null;
}

/** The withheld mark a confirmation's notice answers ("gs-<ref>-<index>-c<mark>"), if it is one. */
export function noticeConfirms(jobId: string): number | undefined {
  const match = /^gs-.+?-\d+-c(\d+)$/.exec(jobId);
  return match ? Number(match[1]) : undefined;
}

/**
 * A confirmation's notice is keyed by the withheld mark it answers (its time in ms), not by the
 * reviewer: two reviewers confirming at once queue one message, and a confirmation withheld in
 * turn gets a new mark, so the next confirmation can send again.
 */
export const noticeJobId = (ref: string, index: number, confirmsMark?: number): string =>
  `gs-${ref}-${index}${confirmsMark === undefined ? '' : `-c${confirmsMark}`}`;

/**
 * The application as its applicant may see it: a decision whose notice was withheld has not been
 * told, so until another reviewer confirms or changes it, "My applications" shows the status and
 * history from before it.
 */
export function applicantView<R extends Pending>(record: R): R {
  const index = record.confirmation?.index;
  if (!awaitsConfirmation(record) || typeof index !== 'number') return record;
  const told = record.history.slice(0, index);
  const before = told.at(-1);
  return before ? { ...record, status: before.status, history: told } : record;
}
