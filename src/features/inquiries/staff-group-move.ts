import type { AppDeps } from '../../app/types.js';
import { openTopic, resumeTopicCopy } from './relay.js';
import { refusedAgain, topicRefusal } from './topic-refusals.js';

/**
 * Open questions moved per pass (a minute). Each is a new topic with its card and conversation,
 * several posts into one group, and Telegram takes about twenty messages a minute in a group: a
 * post it refuses for that stops the copy, which goes on from there at the next pass
 * (topic-copy.ts). At two a pass, 200 open questions move in under two hours; a question whose
 * person writes meanwhile moves at once (topic-mirror.ts).
 */
const OPEN_PER_PASS = 2;
/** Closed questions handed over per pass: only records are written (their topics are deleted later, a few a tick). */
const CLOSED_PER_PASS = 200;

/**
 * The repair pass after staff moved to another group (STAFF_CHAT_ID changed; docs/inquiries.md,
 * "Moving the staff group"), at start and every minute, from every bot process:
 * - an open question with its topic in a former group gets a topic here with the conversation so
 *   far (openTopic, under its claim: two processes never make two topics for one question), and
 *   the former topic is recorded for deletion;
 * - a closed question's topic there is recorded for deletion and forgotten;
 * - a question whose former topic was left but whose new topic was not made (Telegram away, or a
 *   process stopped in between) gets it now.
 * The former topics are deleted by the reminder tick, a few a tick, never posted into
 * (erased-topic-deletion.ts). Returns how many questions it moved.
 */
export async function moveToCurrentGroup(deps: AppDeps, at = deps.now()): Promise<number> {
  const staffChatId = deps.config.STAFF_CHAT_ID;
  if (!staffChatId || !deps.telegram) return 0;
  const { inquiries } = deps.services;
  const gate = gates.get(inquiries) ?? new QuietGate();
  gates.set(inquiries, gate);
  const now = at.getTime();
  if (!gate.shouldLook(now)) return 0;
  const copying = await inquiries.copyingIntoTopic(staffChatId, OPEN_PER_PASS);
  const found = await inquiries.inFormerGroup(staffChatId, OPEN_PER_PASS, CLOSED_PER_PASS);
  const owed = await inquiries.owingTopic(OPEN_PER_PASS);
  gate.saw(copying.length + found.length + owed.length > 0, now);
  let moved = 0;
  let room = OPEN_PER_PASS;
  // Copies cut short first (Telegram did not take a post, a process stopped): they go on from
  // where they stopped, and while Telegram takes none no new topic adds to the posts.
  let stalled = false;
  for (const question of copying) {
    room -= 1;
    if ((await resumeTopicCopy(deps, question.ref)) === 'pending') {
      stalled = true;
      break;
    }
  }
  // The group refusing the bot topics: asked again only once the wait is over (topic-refusals.ts).
  const refusal = await topicRefusal(deps, staffChatId, at);
  const making: Making = { deps, staffChatId, at, seen: refusal.seen };
  stalled ||= refusal.waiting;
  // Owed next: while no topic can be made here (the group refuses the bot topics, Telegram away),
  // Telegram is asked once a pass at most, not for every open question each minute, and no more
  // open questions leave their former topics (read by the operators until then) for none here.
  for (const question of owed) {
    if (stalled || room <= 0) break;
    room -= 1;
    if (!(await madeHere(making, question.ref))) {
      stalled = true;
      break;
    }
    moved += 1;
  }
  for (const question of found) {
    if (!question.threadId || !question.staffChatId) continue;
    if (question.status === 'closed') {
      if (await inquiries.leaveTopic(question.ref, question.staffChatId, question.threadId)) moved += 1;
    } else if (!stalled && room > 0) {
      room -= 1;
      if (await madeHere(making, question.ref)) moved += 1;
      else stalled = true;
    }
  }
  return moved;
}

/** What a pass's topic making needs: the group, the pass's clock, and the refusal record it read. */
interface Making {
  deps: AppDeps;
  staffChatId: number;
  at: Date;
  seen: string;
}

/**
 * Gives the question its topic here. False when it still has none (Telegram refused or did not
 * answer, or another process is making it right now): the pass moves no more open questions.
 * A question closed or deleted meanwhile needs none. The group refusing the bot topics starts
 * the next, longer wait, and the log says so once a step.
 */
async function madeHere(making: Making, ref: string): Promise<boolean> {
  const { deps } = making;
  let refused: unknown;
  if ((await openTopic(deps, ref, (err) => (refused = err ?? true))) !== undefined) return true;
  if (refused !== undefined) {
    const wait = await refusedAgain(deps, making.staffChatId, making.seen, making.at);
    if (wait !== undefined) {
      deps.logger.warn(
        { err: refused, minutes: Math.round(wait / 60_000) },
        'the staff group refuses the bot new topics (it needs the "manage topics" right): questions move when it allows; asked again in the minutes given',
      );
    }
  }
  const now = await deps.services.inquiries.get(ref);
  return !now || now.status === 'closed' || !!now.threadId;
}

/**
 * A process stops looking once its passes have found nothing to move for a day: the look reads
 * every question on FerretDB (no index use for "another group"), and a move needs a restart with
 * the new STAFF_CHAT_ID, whose passes look again. The day covers a deploy's old processes still
 * making topics in the former group; a question of theirs found later still moves when its
 * person writes or a reminder comes (topic-mirror.ts).
 */
export class QuietGate {
  static readonly ENOUGH_MS = 24 * 3600_000;
  private quietSince?: number;

  shouldLook(now: number): boolean {
    return this.quietSince === undefined || now - this.quietSince < QuietGate.ENOUGH_MS;
  }

  saw(something: boolean, now: number): void {
    if (something) this.quietSince = undefined;
    else this.quietSince ??= now;
  }
}

/** Per app (its inquiries service): tests run several apps in one process. */
const gates = new WeakMap<object, QuietGate>();
