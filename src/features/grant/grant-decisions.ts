import type { Locale } from '../../telegram/types.js';
import { userModel } from '../../db/models/user.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import { grantApplicationModel, type GrantApplicationModel, type GrantApplicationRecord } from './grant-application.model.js';
import { isActiveStatus, type GrantStatus } from './grant-status.js';
import { decisionId, grantDecisionModel, type GrantDecisionModel, type GrantDecisionRecord } from './grant-decision.model.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { AuditService } from '../../services/audit.js';
import { grantStatusNotice } from './grant-notices.js';
import { NEEDS_REASON, TRANSITIONS } from './grant-transitions.js';
import { awaitsConfirmation, mayConfirm, movesFor, noticeJobId } from './grant-confirmation.js';
import type { DeliveryJob } from '../../delivery/types.js';
import { openFreeTexts } from './free-text.js';
import { applicationLock } from './application-lock.js';
import type { RecordLock } from '../../services/record-lock.js';

export { NEEDS_REASON, TRANSITIONS };

export type StatusChangeResult =
  | { result: 'changed'; ref: string; status: GrantStatus }
  | { result: 'not-found' | 'not-allowed' | 'changed-meanwhile' | 'reason-required' };

export type ConfirmResult = { result: 'confirmed'; ref: string; status: GrantStatus } | { result: 'not-found' | 'not-allowed' | 'changed-meanwhile' };

/**
 * A claimed decision younger than this is taken to be still on its way to the application;
 * an older one was left by a process that stopped half-way, and the next reader finishes it.
 */
const UNFINISHED_AFTER_MS = 60_000;

type Claim = Omit<GrantDecisionRecord, '_id' | 'pending'>;

/** What makes a decision the same one again: who took it, the move, and their words. */
interface OwnDecision {
  by: number;
  source: 'staff' | 'applicant';
  from: GrantStatus;
  status: GrantStatus;
  comment?: string;
  answer?: string;
}

/**
 * Status changes of grant applications. Each change first claims its place in the history
 * (a unique `_id` in the decisions collection), then writes the application from the claim:
 * two people deciding on the same application at once get one winner, on MongoDB and FerretDB.
 */
export class GrantDecisions {
  private readonly applications: GrantApplicationModel;
  private readonly decisions: GrantDecisionModel;
  /** Every write of an application here holds it (application-lock.ts): the sealing pass writes it too. */
  private readonly lock: RecordLock;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.applications = grantApplicationModel(deps.connection);
    this.decisions = grantDecisionModel(deps.connection);
    this.lock = applicationLock(deps);
  }

  async init(): Promise<void> {
    await this.decisions.init();
  }

  /**
   * A staff decision, taken on the application as staff saw it: its status and, from the review
   * scene, the length of its history (so a question asked and answered meanwhile is noticed too).
   */
  async changeStatus(
    actorId: number,
    ref: string,
    from: GrantStatus,
    to: GrantStatus,
    comment?: string,
    seenHistory?: number,
  ): Promise<StatusChangeResult> {
    const text = comment?.trim() || undefined;
    const record = await this.current(ref);
    if (!record) return { result: 'not-found' };
    const position = record.history.length;
    const changed: StatusChangeResult = { result: 'changed', ref, status: to };
    const mine: OwnDecision = { by: actorId, source: 'staff', from, status: to, comment: text };
    if (record.status !== from || (seenHistory !== undefined && seenHistory !== position)) {
      // The same decision run again (the mailbox retries an update whose notice the queue
      // refused, or whose process stopped) finds it written: it is finished, not "changed meanwhile".
      return (await this.finishOwn(record, ref, seenHistory ?? position - 1, mine)) ? changed : { result: 'changed-meanwhile' };
    }
    if (!movesFor(record).includes(to)) return { result: 'not-allowed' };
    if (NEEDS_REASON.includes(to) && !text) return { result: 'reason-required' };
    const claimed = await this.claim({
      ref, position, from, status: to, at: this.deps.now(), by: actorId, source: 'staff', ...(text ? { commentEnc: this.deps.cipher.encrypt(text) } : {}),
    });
    if (!claimed) {
      if (await this.finishOwn(record, ref, position, mine)) return changed;
      await this.finishUnfinished(ref);
      return { result: 'changed-meanwhile' };
    }
    await this.apply(claimed);
    return changed;
  }

  /**
   * Another reviewer stands by a decision whose notice was withheld: it is audited and the
   * applicant gets the notice, sent in this reviewer's name (so checked again at send time).
   * `seenHistory` is the history's length as the reviewer saw it.
   */
  async confirm(actorId: number, ref: string, seenHistory: number): Promise<ConfirmResult> {
    const record = await this.current(ref);
    if (!record) return { result: 'not-found' };
    if (!awaitsConfirmation(record) || record.history.length !== seenHistory) return { result: 'changed-meanwhile' };
    // Another reviewer: the one whose notice was withheld (access given back since) may change
    // the decision, but not wave it through unseen by a second pair of eyes.
    if (!mayConfirm(record, actorId)) return { result: 'not-allowed' };
    const index = seenHistory - 1;
    const withheldBy = record.confirmation?.by;
    const at = record.confirmation?.at;
    // The notice first, keyed by the mark, then the mark cleared: a queue or database away in
    // between fails this, and the retry finds the mark still there and queues the same message
    // (one). Clearing first left nothing to confirm on the retry, and the applicant untold.
    const id = noticeJobId(ref, index, new Date(at ?? 0).getTime());
    await this.notify(ref, index, actorId, id);
    // Only this mark, and only while no newer decision came in: a confirmation withheld in turn
    // (a new mark) is not cleared with it, and another reviewer confirming at once queued the
    // same message. A change made meanwhile wins: the notice just queued is taken back, so the
    // applicant is told only the new decision.
    const cleared = await this.lock.run(ref, () =>
      this.applications.updateOne({ ref, history: { $size: seenHistory }, 'confirmation.at': at }, { $unset: { confirmation: 1 }, $set: { confirmedIndex: index } }),
    );
    if (cleared.matchedCount === 0) {
      const now = await this.current(ref);
      if (now && now.history.length > seenHistory) await this.deps.delivery.cancel([id]);
      return { result: 'changed-meanwhile' };
    }
    await this.audit.record(actorId, 'grant.status.confirm', `grant:${ref}`, { status: record.status, index, withheldBy });
    return { result: 'confirmed', ref, status: record.status };
  }

  /**
   * The notice of entry `index` was withheld (its reviewer lost access before it was sent): the
   * application waits for another reviewer, unless a newer decision already replaced that one.
   * A mark already waiting is kept: the job run again (its audit line failed) must not move the
   * mark a confirmation is being made against. Unless it is the mark this notice answered
   * (`answeredMark`: a confirmation withheld in turn, before it cleared that mark): then a new
   * mark, so the confirmation does not clear it and another reviewer is asked.
   */
  async markForConfirmation(ref: string, index: number, by: number, answeredMark?: number): Promise<void> {
    // The first notice's job (no mark) marks only an entry nobody confirmed yet: retried late,
    // after another reviewer confirmed it, it must not hide the decision from the applicant again.
    const filter =
      answeredMark === undefined
        ? { ref, history: { $size: index + 1 }, confirmation: { $exists: false }, confirmedIndex: { $ne: index } }
        : { ref, history: { $size: index + 1 }, $or: [{ confirmation: { $exists: false } }, { 'confirmation.at': new Date(answeredMark) }] };
    await this.lock.run(ref, () => this.applications.updateOne(filter, { $set: { confirmation: { index, by, at: this.deps.now() } } }));
  }

  /** The applicant answers "more information needed": the answer joins the history and review resumes. */
  async answerMoreInfo(userId: number, ref: string, answer: string): Promise<'ok' | 'not-waiting'> {
    const record = await this.current(ref, userId);
    if (!record) return 'not-waiting';
    const mine: OwnDecision = { by: userId, source: 'applicant', from: 'more-info', status: 'in-review', answer };
    // The same answer run again by the mailbox (its notice refused, its process stopped) is taken.
    if (record.status !== 'more-info') return (await this.finishOwn(record, ref, record.history.length - 1, mine)) ? 'ok' : 'not-waiting';
    const claimed = await this.claim({
      ref, position: record.history.length, from: 'more-info', status: 'in-review', at: this.deps.now(), by: userId, source: 'applicant',
      answerEnc: this.deps.cipher.encrypt(answer),
    });
    if (!claimed) {
      if (await this.finishOwn(record, ref, record.history.length, mine)) return 'ok';
      await this.finishUnfinished(ref);
      return 'not-waiting';
    }
    await this.apply(claimed);
    return 'ok';
  }

  /**
   * The repair pass: decisions claimed a minute ago or more and not finished (the application not
   * written, the decision not audited, or its notice not queued), left by a process that stopped
   * or an update given up on. Each is finished once; returns how many.
   */
  async finishPending(limit = 100): Promise<number> {
    const before = new Date(this.deps.now().getTime() - UNFINISHED_AFTER_MS);
    const due = await this.decisions.find({ pending: true, at: { $lt: before } }).sort({ at: 1 }).limit(limit).lean<GrantDecisionRecord[]>();
    let finished = 0;
    for (const { _id: _ignored, ...claim } of due) if (await this.apply(claim)) finished += 1;
    return finished;
  }

  /** "Delete my data": the applicant's answers and their Telegram id leave the decisions too. */
  async eraseApplicant(refs: string[]): Promise<void> {
    // One application at a time, under its lock: the sealing pass writes these records too.
    for (const ref of refs) {
      await this.lock.run(ref, () => this.decisions.updateMany({ ref, source: 'applicant' }, { $unset: { answer: 1, answerEnc: 1 }, $set: { by: 0 } }));
    }
  }

  private async current(ref: string, userId?: number): Promise<Pick<GrantApplicationRecord, 'status' | 'history' | 'confirmation' | 'erasedAt'> | null> {
    return this.applications.findOne(userId === undefined ? { ref } : { ref, userId }, { status: 1, history: 1, confirmation: 1, erasedAt: 1 }).lean<GrantApplicationRecord>();
  }

  private async claim(decision: Claim): Promise<Claim | null> {
    try {
      await this.decisions.create({ _id: decisionId(decision.ref, decision.position), ...decision, pending: true });
      return decision;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /**
   * Whether the decision at `position` is this very one (same person, same move, same words):
   * then it is finished if an earlier try left it unfinished. A decision finished long ago is
   * not told again: its notice's job id may have left the queue, and it would be sent twice.
   */
  private async finishOwn(record: Pick<GrantApplicationRecord, 'history'>, ref: string, position: number, own: OwnDecision): Promise<boolean> {
    if (position < 1) return false;
    const found = await this.decisions.findById(decisionId(ref, position)).lean<GrantDecisionRecord>();
    if (!found) return false;
    // Words are sealed at rest (free-text.ts); a claim from before that holds them in the clear.
    const opened = (sealed?: string | null, clear?: string | null) => (sealed ? this.deps.cipher.decrypt(sealed) : (clear ?? undefined));
    const same =
      found.by === own.by && found.source === own.source && found.from === own.from && found.status === own.status &&
      opened(found.commentEnc, found.comment) === own.comment && opened(found.answerEnc, found.answer) === own.answer;
    if (!same) return false;
    if (found.pending || record.history.length === position) {
      const { _id: _ignored, ...claim } = found;
      await this.apply(claim);
    }
    return true;
  }

  /**
   * Writes a claimed decision into the application, audits it and queues its notice, then marks
   * it finished. Each step may run again (a retry, the repair pass, two processes at once): the
   * write is to that exact position of the history, the audit line is keyed by it, the notice's
   * job id too. Returns whether the decision is finished.
   */
  private async apply(decision: Claim): Promise<boolean> {
    const { ref, position, status, at, by } = decision;
    // The claim is read again under the application's lock (application-lock.ts): the repair pass
    // read it with a whole batch, and "Delete my data" may have taken the applicant's answer and
    // id out of it since, and out of the application; written as read, they came back.
    const written = await this.lock.run(ref, () => this.writeEntry(ref, position));
    if (written.matchedCount === 0) {
      const now = await this.current(ref);
      // Not written, and the history still ends before it: left pending for the next try.
      if (now && now.history.length <= position) return false;
      const there = now?.history[position];
      if (!there || there.status !== status || new Date(there.at).getTime() !== new Date(at).getTime()) {
        // Another entry holds the place (positions are claimed once, so only a record changed by
        // hand): nothing of this claim is to be told.
        await this.done(ref, position);
        return false;
      }
    }
    if (decision.source === 'staff') {
      await this.audit.recordOnce(`grant.status:${ref}/${position}`, by, 'grant.status', `grant:${ref}`, {
        from: decision.from, to: status, withComment: Boolean(decision.commentEnc ?? decision.comment),
      });
    }
    // A staff decision's notice is checked again when sent: its reviewer must still hold the right.
    await this.notify(ref, position, decision.source === 'staff' ? by : undefined);
    await this.done(ref, position);
    return true;
  }

  /**
   * The claim at `position` written into the application as it is now (the lock held), while the
   * history still ends just before it. Nothing is written when the claim is gone.
   */
  private async writeEntry(ref: string, position: number): Promise<{ matchedCount: number }> {
    const claim = await this.decisions.findById(decisionId(ref, position)).lean<GrantDecisionRecord>();
    if (!claim) return { matchedCount: 0 };
    const { status, at, by } = claim;
    // A claim made before free texts were sealed carries them in the clear: sealed on the way in.
    const seal = (sealed?: string | null, clear?: string | null) => sealed ?? (clear ? this.deps.cipher.encrypt(clear) : undefined);
    const commentEnc = seal(claim.commentEnc, claim.comment);
    const answerEnc = seal(claim.answerEnc, claim.answer);
    const entry = { status, at, by, ...(commentEnc ? { commentEnc } : {}), ...(answerEnc ? { answerEnc } : {}) };
    return this.applications.updateOne(
      { ref, history: { $size: position } },
      {
        $set: { status, [`history.${position}`]: entry },
        // A final decision frees the IIN to apply to this programme again; any new decision
        // settles one that waited for confirmation.
        $unset: { confirmation: 1, ...(isActiveStatus(status) ? {} : { activeKey: 1 }) },
      },
    );
  }

  /**
   * The claim marked finished, under the application's lock and only while it is pending:
   * "Delete my data" and the sealing pass write this record too, and FerretDB writes the whole
   * record as read here, so an answer erased meanwhile came back with the mark.
   */
  private async done(ref: string, position: number): Promise<void> {
    await this.lock.run(ref, () => this.decisions.updateOne({ _id: decisionId(ref, position), pending: true }, { $unset: { pending: 1 } }));
  }

  /** A decision claimed but never written (its process stopped): write it now. */
  private async finishUnfinished(ref: string): Promise<void> {
    const record = await this.current(ref);
    if (!record) return;
    const pending = await this.decisions.findById(decisionId(ref, record.history.length)).lean<GrantDecisionRecord>();
    if (!pending || this.deps.now().getTime() - new Date(pending.at).getTime() < UNFINISHED_AFTER_MS) return;
    const { _id: _ignored, ...claim } = pending;
    await this.apply(claim);
  }

  /**
   * Queues the notice of history entry `index` to the applicant, rendered in their language now.
   * `reviewer`: the staff member it is sent for, whose review right in the application's region
   * the delivery worker checks again at send time.
   */
  private async notify(ref: string, index: number, reviewer?: number, id = noticeJobId(ref, index)): Promise<void> {
    const stored = await this.applications.findOne({ ref }).lean<GrantApplicationRecord>();
    if (!stored?.userId) return;
    const record = openFreeTexts(stored, this.deps.cipher);
    const user = await userModel(this.deps.connection)
      .findOne({ telegramId: record.userId }, { locale: 1, chatId: 1 })
      .lean<{ locale?: Locale; chatId?: number }>();
    const chatId = user?.chatId ?? record.chatId;
    const entry = record.history[index];
    if (!chatId || !entry) return;
    const locale = user?.locale ?? (record.locale);
    const notice = grantStatusNotice(this.deps.i18n.t(locale), locale, record, entry);
    const job: DeliveryJob = { id, chatId, kind: 'grant-status', text: notice.text, buttons: notice.buttons, ref: `grant:${ref}` };
    if (reviewer !== undefined) job.actedBy = { userId: reviewer, permission: 'grants.review', region: record.region };
    // The id makes a repeated notice of the same entry (a finished half-done decision) one message.
    await this.deps.delivery.enqueue([job]);
  }
}
