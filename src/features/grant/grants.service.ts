import { userModel } from '../../db/models/user.js';
import { upsertRacing } from '../../db/models/counter.js';
import { maskIin } from '../../domain/iin.js';
import { maskPhone } from '../../domain/phone.js';
import { grantApplicationModel, type GrantApplicationModel, type GrantApplicationRecord } from './grant-application.model.js';
import { type GrantStatus } from './grant-status.js';
import type { ProgrammeKind } from './programmes.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { AuditService } from '../../services/audit.js';
import { applicantView } from './grant-confirmation.js';
import { maskedForReviewer, openFreeTexts, sealingDecisionUpdate, sealingUpdate } from './free-text.js';
import { grantDecisionModel } from './grant-decision.model.js';
import { applicationLock } from './application-lock.js';
import type { RecordLock } from '../../services/record-lock.js';
import { userRecordLock } from '../../services/user-record-lock.js';
import { GrantDecisions, NEEDS_REASON, TRANSITIONS, type ConfirmResult, type StatusChangeResult } from './grant-decisions.js';
import { findActiveRef, submitApplication, type ActiveApplication, type GrantSubmission, type SubmitResult } from './grant-submit.js';

export type { GrantStatus, GrantSubmission, StatusChangeResult, SubmitResult };
export { NEEDS_REASON, TRANSITIONS };

export type GrantApplication = GrantApplicationRecord;

/** An application as staff see it: IIN masked unless an admin looks, phone decrypted. */
export interface GrantView {
  record: GrantApplication;
  iin: string;
  phone: string;
}

/** Applications for family-business support: submission, reading, export and erasure. */
export class GrantsService {
  private readonly applications: GrantApplicationModel;
  private readonly decisions: GrantDecisions;
  /** Set once a pass found no idea or answer left in the clear: new ones are never written so. */
  private olderTextsSealed = false;
  /** Writes of an application and its decisions' records here hold it, as decisions do (application-lock.ts). */
  private readonly lock: RecordLock;
  /** The user record's lock (user-record-lock.ts): the applicant flag must not undo a revoke. */
  private readonly userLock: RecordLock;

  constructor(
    protected readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.applications = grantApplicationModel(deps.connection);
    this.decisions = new GrantDecisions(deps, audit);
    this.lock = applicationLock(deps);
    this.userLock = userRecordLock(deps);
  }

  /** Indexes (unique ref, submission key, open application per IIN) before anything relies on them. */
  async init(): Promise<void> {
    await this.applications.init();
    await this.decisions.init();
  }

  /** The application still open for this IIN and programme, if any, and whether `userId` sent it. */
  async findActive(iin: string, programme: ProgrammeKind, userId: number): Promise<ActiveApplication | null> {
    return findActiveRef(this.applications, this.deps.cipher, iin, programme, userId);
  }

  async submit(input: GrantSubmission): Promise<SubmitResult> {
    await this.init();
    const result = await submitApplication(this.applications, this.deps, input);
    // Broadcasts to "applicants" select on this flag of the user record (see User). Set on a
    // duplicate too: a retried submit whose first try stored the application may not have set it.
    // The region of an application stored now is the one announcements to a region select on.
    const region = result.result === 'duplicate' ? {} : { region: input.region, applicantRegion: input.region };
    await this.userLock.run(String(input.userId), () =>
      upsertRacing(() =>
        userModel(this.deps.connection).updateOne(
          { telegramId: input.userId },
          { $set: { applicant: true, ...region }, $setOnInsert: { telegramId: input.userId, chatId: input.chatId, locale: input.locale } },
          { upsert: true },
        ),
      ),
    );
    return result;
  }

  /** The applicant's own applications, as they may see them (a withheld decision is not shown). */
  async listForUser(userId: number): Promise<GrantApplication[]> {
    return (await this.applications.find({ userId }).sort({ createdAt: -1 }).lean<GrantApplication[]>()).map((r) => applicantView(this.opened(r)));
  }

  async getForUser(userId: number, ref: string): Promise<GrantApplication | null> {
    const record = await this.applications.findOne({ userId, ref }).lean<GrantApplication>();
    return record && applicantView(this.opened(record));
  }

  /**
   * Send-time check of a status notice: the application is still linked to its applicant.
   * "Delete my data" unlinks it first, then clears the queue; a notice queued in between must
   * not reach someone who has deleted their data.
   */
  async stillLinked(ref: string): Promise<boolean> {
    const record = await this.applications.findOne({ ref }, { userId: 1 }).lean<{ userId?: number }>();
    return typeof record?.userId === 'number';
  }

  /** One application, its idea and answers opened (free-text.ts). */
  async get(ref: string): Promise<GrantApplication | null> {
    const record = await this.applications.findOne({ ref }).lean<GrantApplication>();
    return record && this.opened(record);
  }

  private opened(record: GrantApplication): GrantApplication {
    return openFreeTexts(record, this.deps.cipher);
  }

  /** Applications for staff, oldest first (first come, first served), optionally by status and region. */
  /** `regions` (null or absent = all) limits the list to a reviewer's regions. */
  async listForReview(filter: { statuses: GrantStatus[]; region?: string; regions?: string[] | null }, limit = 30): Promise<GrantApplication[]> {
    // Decisions waiting for another reviewer's confirmation are listed with the open ones,
    // whatever their status, so a withheld approval or refusal is not lost among closed files.
    const awaiting = filter.statuses.length > 1 ? [{ confirmation: { $exists: true } }] : [];
    const query: Record<string, unknown> = awaiting.length ? { $or: [{ status: { $in: filter.statuses } }, ...awaiting] } : { status: { $in: filter.statuses } };
    if (filter.regions) query.region = { $in: filter.regions };
    if (filter.region) query.region = filter.regions && !filter.regions.includes(filter.region) ? { $in: [] } : filter.region;
    return this.applications.find(query).sort({ createdAt: 1 }).limit(limit).lean<GrantApplication[]>();
  }

  /**
   * One application in full for staff; the IIN stays masked unless an admin asks, and so does
   * any IIN the applicant typed into their idea or answers.
   */
  async view(ref: string, asAdmin: boolean): Promise<GrantView | null> {
    const record = await this.get(ref);
    if (!record) return null;
    const iin = this.decryptIin(record);
    return { record: asAdmin ? record : maskedForReviewer(record), iin: asAdmin ? iin : maskIin(iin), phone: this.decryptPhone(record) };
  }

  /** IIN and phone masked, for the applicant's own "My data" and lists. */
  maskedContacts(record: GrantApplication): { iin: string; phone: string } {
    const phone = this.decryptPhone(record);
    return { iin: maskIin(this.decryptIin(record)), phone: phone ? maskPhone(phone) : '—' };
  }

  /**
   * A staff decision on the application as staff saw it (its status, and from the review scene
   * the length of its history); the applicant is told in their own language.
   */
  async changeStatus(
    actorId: number,
    ref: string,
    from: GrantStatus,
    to: GrantStatus,
    comment?: string,
    seenHistory?: number,
  ): Promise<StatusChangeResult> {
    return this.decisions.changeStatus(actorId, ref, from, to, comment, seenHistory);
  }

  /**
   * The repair pass: decisions a stopped process or a given-up update left unfinished (the
   * application not written, or the applicant not told) are finished. Returns how many.
   */
  async finishInterrupted(): Promise<number> {
    return this.decisions.finishPending();
  }

  /** Another reviewer stands by a decision whose notice was withheld; the applicant is told now. */
  async confirmDecision(actorId: number, ref: string, seenHistory: number): Promise<ConfirmResult> {
    return this.decisions.confirm(actorId, ref, seenHistory);
  }

  /** A decision's notice was withheld (its reviewer lost access): it waits for another reviewer. */
  async markForConfirmation(ref: string, index: number, by: number, answeredMark?: number): Promise<void> {
    await this.decisions.markForConfirmation(ref, index, by, answeredMark);
  }

  /** The applicant answers "more information needed": the answer joins the history and review resumes. */
  async answerMoreInfo(userId: number, ref: string, answer: string): Promise<'ok' | 'not-waiting'> {
    // Not audited: the audit log outlives "delete my data" and must not tie the user to the record.
    return this.decisions.answerMoreInfo(userId, ref, answer);
  }

  /** Telegram ids of everyone with an application, for announcements about the programme. */
  async applicantUserIds(): Promise<number[]> {
    const ids = (await this.applications.distinct('userId', { userId: { $exists: true } })) as unknown[];
    return ids.filter((id): id is number => typeof id === 'number').sort((a, b) => a - b);
  }

  /**
   * Applications for the export job, a batch at a time in the order they were stored (by `_id`,
   * an ObjectId, which grows with time): only one batch is held at once, and each batch is a
   * fresh query after the last id seen, so a long export holds no server cursor that could time
   * out and a retry after an outage starts cleanly.
   */
  async *exportBatches(regions: string[] | null, batchSize = 200): AsyncGenerator<GrantApplication[]> {
    let after: unknown;
    for (;;) {
      const query: Record<string, unknown> = regions ? { region: { $in: regions } } : {};
      if (after !== undefined) query._id = { $gt: after };
      const batch = await this.applications.find(query).sort({ _id: 1 }).limit(batchSize).lean<GrantApplication[]>();
      if (batch.length > 0) yield batch;
      if (batch.length < batchSize) return;
      after = batch.at(-1)!._id;
    }
  }

  /**
   * Seals the ideas, answers and comments that applications and decisions written before free
   * texts were sealed still hold in the clear (free-text.ts), a batch per run of the repair tick,
   * until a run finds none. Returns how many records it sealed. Each record is read again and
   * written under its application's lock, as decisions are written (application-lock.ts): a
   * decision written at the same instant was otherwise undone by FerretDB writing the sealed
   * record as it read it; and only the texts as read are sealed, so one erased meanwhile is not
   * written back.
   */
  async sealOlderTexts(batch = 100): Promise<number> {
    if (this.olderTextsSealed) return 0;
    let sealed = 0;
    const older = await this.applications
      .find({ $or: [{ idea: { $exists: true } }, { 'history.answer': { $exists: true } }, { 'history.comment': { $exists: true } }] }, { ref: 1 })
      .limit(batch)
      .lean<Array<{ ref: string }>>();
    for (const { ref } of older) sealed += await this.lock.run(ref, () => this.sealApplication(ref));
    const decisions = grantDecisionModel(this.deps.connection);
    const answers = await decisions
      .find({ $or: [{ answer: { $exists: true } }, { comment: { $exists: true } }] }, { ref: 1 })
      .limit(batch)
      .lean<Array<{ _id: string; ref: string }>>();
    for (const decision of answers) {
      sealed += await this.lock.run(decision.ref, async () => {
        const current = await decisions.findById(decision._id, { answer: 1, comment: 1 }).lean<{ answer?: string | null; comment?: string | null }>();
        const sealing = current && sealingDecisionUpdate(current, this.deps.cipher);
        if (!sealing) return 0;
        return (await decisions.updateOne({ _id: decision._id, ...sealing.still }, sealing.update)).modifiedCount;
      });
    }
    if (older.length === 0 && answers.length === 0) this.olderTextsSealed = true;
    return sealed;
  }

  /** One application's clear texts sealed, as it is now (its lock held). Returns 1 when written. */
  private async sealApplication(ref: string): Promise<number> {
    const record = await this.applications.findOne({ ref }, { idea: 1, history: 1 }).lean<GrantApplication>();
    const sealing = record && sealingUpdate(record, this.deps.cipher);
    if (!sealing) return 0;
    return (await this.applications.updateOne({ ref, ...sealing.still }, sealing.update)).modifiedCount;
  }

  decryptIin(record: GrantApplication): string {
    return this.deps.cipher.decrypt(record.iinEnc);
  }

  decryptPhone(record: GrantApplication): string {
    return record.phoneEnc ? this.deps.cipher.decrypt(record.phoneEnc) : '';
  }

  async recordExport(actorId: number, count: number, masked: boolean, regions: string[] | null = null): Promise<void> {
    await this.audit.record(actorId, 'grant.export', undefined, { count, masked, regions: regions ?? 'all' });
  }

  /**
   * "Delete my data": submitted applications are records of state support and stay, with their
   * reference, status history and encrypted IIN. The name, phone, business idea, the applicant's
   * own answers and every trace of their Telegram account (ids, the submission key made from
   * the user id) go. Returns the references kept.
   */
  async eraseForUser(userId: number): Promise<string[]> {
    // The user id is what finds the records, so it goes last: a try stopped half-way (the
    // database went away) is run again by the chat's mailbox and must find everything again,
    // the decisions' copies of the answers included, and name every record it keeps.
    const refs = (await this.applications.find({ userId }, { ref: 1 }).lean<Array<{ ref: string }>>()).map((r) => r.ref);
    await this.decisions.eraseApplicant(refs);
    // Read again and written under the application's lock (application-lock.ts): the sealing pass
    // writes the same record, and may just have turned an answer read here into its sealed copy.
    for (const ref of refs) await this.lock.run(ref, () => this.eraseApplication(ref, userId));
    for (const ref of refs) await this.lock.run(ref, () => this.applications.updateOne({ ref, userId }, { $unset: { userId: 1, chatId: 1 } }));
    // One sent while this ran (nothing else writes a record that new).
    await this.applications.updateMany({ userId }, { $unset: { userId: 1, chatId: 1 } });
    return refs;
  }

  /** The applicant's words and contacts out of one application, entry by entry, so a decision written meanwhile is not overwritten. */
  private async eraseApplication(ref: string, userId: number): Promise<void> {
    const record = await this.applications.findOne({ ref }, { history: 1 }).lean<GrantApplication>();
    if (!record) return;
    const unset: Record<string, 1> = { name: 1, phoneEnc: 1, phoneHash: 1, idea: 1, ideaEnc: 1 };
    const set: Record<string, unknown> = { submissionKey: `erased.${ref}`, erasedAt: this.deps.now() };
    record.history.forEach((entry, i) => {
      if (entry.answer !== undefined && entry.answer !== null) unset[`history.${i}.answer`] = 1;
      if (entry.answerEnc !== undefined && entry.answerEnc !== null) unset[`history.${i}.answerEnc`] = 1;
      if (entry.by === userId) set[`history.${i}.by`] = 0;
    });
    await this.applications.updateOne({ ref }, { $unset: unset, $set: set });
  }
}
