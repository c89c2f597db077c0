import type { Locale } from '../telegram/types.js';
import { maskIin } from '../domain/iin.js';
import { maskPhone } from '../domain/phone.js';
import { userModel } from '../db/models/user.js';
import { nextSequence } from '../db/models/counter.js';
import {
  ACTIVE_STATUSES,
  grantApplicationModel,
  type GrantApplicationModel,
  type GrantApplicationRecord,
  type GrantStatus,
} from '../db/models/grant-application.js';
import { kzDateParts } from '../domain/kz-time.js';
import type { ProgrammeKind } from './programmes.js';
import type { ServiceDeps } from './service-deps.js';
import type { AuditService } from './audit.js';
import { grantStatusNotice } from './grant-notices.js';

export type { GrantStatus };

/** What the application form hands over; IIN and phone in clear only until they are sealed here. */
export interface GrantSubmission {
  userId: number;
  chatId: number;
  locale: Locale;
  /** Derived from the form's start time: the same form submitted twice is one application. */
  submissionKey: string;
  programme: ProgrammeKind;
  name: string;
  iin: string;
  phone: string;
  region: string;
  groups: string[];
  members: number;
  children: number;
  sector: string;
  idea: string;
  amount: number;
  mci: number;
  mciYear: number;
  certificateYear?: number;
}

export type SubmitResult = { result: 'created' | 'existing'; ref: string } | { result: 'duplicate'; ref: string };

export type StatusChangeResult =
  | { result: 'changed'; ref: string; status: GrantStatus }
  | { result: 'not-found' | 'not-allowed' | 'changed-meanwhile' | 'reason-required' };

/** Which decisions staff may take from each status; approved and rejected are final. */
export const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantStatus[]>> = {
  submitted: ['in-review', 'more-info', 'approved', 'rejected'],
  'in-review': ['more-info', 'approved', 'rejected'],
  'more-info': ['in-review', 'approved', 'rejected'],
  approved: [],
  rejected: [],
};
/** The applicant must learn why: these decisions need a comment. */
export const NEEDS_REASON: readonly GrantStatus[] = ['more-info', 'rejected'];

export type GrantApplication = GrantApplicationRecord;

/** An application as staff see it: IIN masked unless an admin looks, phone decrypted. */
export interface GrantView {
  record: GrantApplication;
  iin: string;
  phone: string;
}

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

export class GrantsService {
  private readonly applications: GrantApplicationModel;

  constructor(
    protected readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.applications = grantApplicationModel(deps.connection);
  }

  /** Indexes (unique ref and submission key) before the first submission relies on them. */
  async init(): Promise<void> {
    await this.applications.init();
  }

  private iinHash(iin: string): string {
    return this.deps.cipher.lookupHash(`iin:${iin}`);
  }

  private phoneHash(phone: string): string {
    return this.deps.cipher.lookupHash(`phone:${phone}`);
  }

  /** The reference of an application still open for this IIN and programme, if any. */
  async findActive(iin: string, programme: ProgrammeKind): Promise<string | null> {
    const found = await this.applications
      .findOne({ iinHash: this.iinHash(iin), programme, status: { $in: [...ACTIVE_STATUSES] } }, { ref: 1 })
      .lean<{ ref: string }>();
    return found?.ref ?? null;
  }

  async submit(input: GrantSubmission): Promise<SubmitResult> {
    await this.init();
    const existing = await this.applications.findOne({ submissionKey: input.submissionKey }, { ref: 1 }).lean<{ ref: string }>();
    if (existing) return { result: 'existing', ref: existing.ref };
    const active = await this.findActive(input.iin, input.programme);
    if (active) return { result: 'duplicate', ref: active };

    const now = this.deps.now();
    const year = kzDateParts(now).year;
    // The counter's $inc is atomic on MongoDB; FerretDB can hand out a number twice under load,
    // so a clash on the reference number simply takes the next one.
    for (let attempt = 0; ; attempt += 1) {
      const seq = await nextSequence(this.deps.connection, `grant-${year}`);
      const ref = `KMK-${year}-${String(seq).padStart(6, '0')}`;
      try {
        await this.applications.create({
          ref,
          submissionKey: input.submissionKey,
          userId: input.userId,
          chatId: input.chatId,
          locale: input.locale,
          programme: input.programme,
          status: 'submitted',
          name: input.name,
          iinEnc: this.deps.cipher.encrypt(input.iin),
          iinHash: this.iinHash(input.iin),
          phoneEnc: this.deps.cipher.encrypt(input.phone),
          phoneHash: this.phoneHash(input.phone),
          region: input.region,
          groups: input.groups,
          members: input.members,
          children: input.children,
          sector: input.sector,
          idea: input.idea,
          amount: input.amount,
          mci: input.mci,
          mciYear: input.mciYear,
          certificateYear: input.certificateYear,
          consentAt: now,
          history: [{ status: 'submitted', at: now, by: input.userId }],
        });
        this.deps.logger.info({ ref, programme: input.programme }, 'grant application submitted');
        return { result: 'created', ref };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Two taps raced past the first lookup: the one that won holds the application.
        const winner = await this.applications.findOne({ submissionKey: input.submissionKey }, { ref: 1 }).lean<{ ref: string }>();
        if (winner) return { result: 'existing', ref: winner.ref };
        if (attempt >= 5) throw error;
      }
    }
  }

  async listForUser(userId: number): Promise<GrantApplication[]> {
    return this.applications.find({ userId }).sort({ createdAt: -1 }).lean<GrantApplication[]>();
  }

  async getForUser(userId: number, ref: string): Promise<GrantApplication | null> {
    return this.applications.findOne({ userId, ref }).lean<GrantApplication>();
  }

  async get(ref: string): Promise<GrantApplication | null> {
    return this.applications.findOne({ ref }).lean<GrantApplication>();
  }

  /** Applications for staff, oldest first (first come, first served), optionally by status and region. */
  async listForReview(filter: { statuses: GrantStatus[]; region?: string }, limit = 30): Promise<GrantApplication[]> {
    const query: Record<string, unknown> = { status: { $in: filter.statuses } };
    if (filter.region) query.region = filter.region;
    return this.applications.find(query).sort({ createdAt: 1 }).limit(limit).lean<GrantApplication[]>();
  }

  /** One application in full for staff; the IIN stays masked unless an admin asks. */
  async view(ref: string, asAdmin: boolean): Promise<GrantView | null> {
    const record = await this.get(ref);
    if (!record) return null;
    const iin = this.deps.cipher.decrypt(record.iinEnc);
    return {
      record,
      iin: asAdmin ? iin : maskIin(iin),
      phone: record.phoneEnc ? this.deps.cipher.decrypt(record.phoneEnc) : '',
    };
  }

  /** IIN and phone masked, for the applicant's own "My data" and lists. */
  maskedContacts(record: GrantApplication): { iin: string; phone: string } {
    return {
      iin: maskIin(this.deps.cipher.decrypt(record.iinEnc)),
      phone: record.phoneEnc ? maskPhone(this.deps.cipher.decrypt(record.phoneEnc)) : '—',
    };
  }

  /**
   * A staff decision. The update is conditional on the status staff saw, so two reviewers
   * deciding at once cannot both win; the applicant is told in their own language.
   */
  async changeStatus(actorId: number, ref: string, from: GrantStatus, to: GrantStatus, comment?: string): Promise<StatusChangeResult> {
    if (!TRANSITIONS[from].includes(to)) return { result: 'not-allowed' };
    const text = comment?.trim() || undefined;
    if (NEEDS_REASON.includes(to) && !text) return { result: 'reason-required' };
    const now = this.deps.now();
    const updated = await this.applications
      .findOneAndUpdate(
        { ref, status: from },
        { $set: { status: to }, $push: { history: { status: to, at: now, by: actorId, ...(text ? { comment: text } : {}) } } },
        { returnDocument: 'after' },
      )
      .lean<GrantApplication>();
    if (!updated) return (await this.get(ref)) ? { result: 'changed-meanwhile' } : { result: 'not-found' };
    await this.audit.record(actorId, 'grant.status', `grant:${ref}`, { from, to, withComment: Boolean(text) });
    await this.notify(updated, updated.history.length - 1);
    return { result: 'changed', ref, status: to };
  }

  /** The applicant answers "more information needed": the answer joins the history and review resumes. */
  async answerMoreInfo(userId: number, ref: string, answer: string): Promise<'ok' | 'not-waiting'> {
    const updated = await this.applications.findOneAndUpdate(
      { ref, userId, status: 'more-info' },
      { $set: { status: 'in-review' }, $push: { history: { status: 'in-review', at: this.deps.now(), by: userId, answer } } },
      { returnDocument: 'after' },
    );
    // Not audited: the audit log outlives "delete my data" and must not tie the user to the record.
    return updated ? 'ok' : 'not-waiting';
  }

  /** Queues the notice of history entry `index` to the applicant, rendered in their language now. */
  private async notify(record: GrantApplication, index: number): Promise<void> {
    if (!record.userId) return;
    const user = await userModel(this.deps.connection).findOne({ telegramId: record.userId }, { locale: 1, chatId: 1 }).lean<{ locale?: Locale; chatId?: number }>();
    const chatId = user?.chatId ?? record.chatId;
    if (!chatId) return;
    const locale = user?.locale ?? (record.locale as Locale);
    const entry = record.history[index];
    if (!entry) return;
    const notice = grantStatusNotice(this.deps.i18n.t(locale), locale, record, entry);
    await this.deps.delivery.enqueue([{ id: `gs-${record.ref}-${index}`, chatId, kind: 'grant-status', text: notice.text, buttons: notice.buttons, ref: `grant:${record.ref}` }]);
  }

  /** Telegram ids of everyone with an application, for announcements about the programme. */
  async applicantUserIds(): Promise<number[]> {
    const ids = (await this.applications.distinct('userId', { userId: { $exists: true } })) as unknown[];
    return ids.filter((id): id is number => typeof id === 'number').sort((a, b) => a - b);
  }

  /** Every application, oldest first, for the staff export. */
  async all(): Promise<GrantApplication[]> {
    return this.applications.find({}).sort({ createdAt: 1 }).lean<GrantApplication[]>();
  }

  decryptIin(record: GrantApplication): string {
    return this.deps.cipher.decrypt(record.iinEnc);
  }

  decryptPhone(record: GrantApplication): string {
    return record.phoneEnc ? this.deps.cipher.decrypt(record.phoneEnc) : '';
  }

  async recordExport(actorId: number, count: number, masked: boolean): Promise<void> {
    await this.audit.record(actorId, 'grant.export', undefined, { count, masked });
  }

  /**
   * "Delete my data": submitted applications are records of state support and stay, with their
   * reference, status history and encrypted IIN. The name, phone, business idea, the applicant's
   * own answers and the link to their Telegram account go. Returns the references kept.
   */
  async eraseForUser(userId: number): Promise<string[]> {
    const records = await this.applications.find({ userId }, { ref: 1, history: 1 }).lean<GrantApplication[]>();
    for (const record of records) {
      const history = record.history.map(({ answer: _answer, ...entry }) => entry);
      await this.applications.updateOne(
        { ref: record.ref },
        { $unset: { name: 1, phoneEnc: 1, phoneHash: 1, idea: 1, userId: 1, chatId: 1 }, $set: { history, erasedAt: this.deps.now() } },
      );
    }
    return records.map((r) => r.ref);
  }
}
