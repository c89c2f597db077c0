import { createHash } from 'node:crypto';
import type { Forwarded, Locale, RelayableMedia } from '../../telegram/types.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { AuditService } from '../../services/audit.js';
import { isDuplicateKey, nextSequence } from '../../db/models/counter.js';
import { kzDateParts } from '../../domain/kz-time.js';
import { allows, type Access } from '../../app/access.js';
import type { InquiryTopic } from './faq-entry.js';
import { inquiryModel, TOPIC_COPY_CARD, type InquiryModel, type InquiryRecord, type InquiryStatus } from './inquiry.model.js';
import type { RecordLock } from '../../services/record-lock.js';
import { inquiryRecordLock } from '../../services/inquiry-record-lock.js';
import { ErasedTopics } from './erased-topic.store.js';
import { TopicMirrors } from './topic-mirror.store.js';
import { knownTopicGroup } from './topic-group.js';

export const INQUIRY_REF = /^Q-\d{4}-\d{6}$/;
const MAX_REF_ATTEMPTS = 20;
/** Audit lines a citizen is the actor of; "delete my data" takes their name off them. */
const CITIZEN_AUDIT_ACTIONS = ['inquiry.open', 'inquiry.citizen-message', 'inquiry.rate'] as const;

export interface NewInquiry {
  userId: number;
  chatId: number;
  locale: Locale;
  topic: InquiryTopic;
  region?: string;
  /** The question; with `attachment`, its caption if it had one (may be empty). */
  text: string;
  /** A question asked with a voice message (or another attachment) instead of typed words. */
  attachment?: { media: RelayableMedia; chatId: number; messageId: number; nameHidden?: true };
  /** The question (its words or its attachment) was forwarded from someone else. */
  forwarded?: Forwarded;
  submissionKey: string;
}

export type CreateResult = { result: 'created' | 'existing'; ref: string } | { result: 'limit'; open: number };

/** A message as the bot shows it (decrypted). */
export interface ShownMessage {
  from: 'citizen' | 'operator';
  text?: string;
  media?: RelayableMedia;
  chatId?: number;
  messageId?: number;
  /** The file's name holds an IIN or a card number (citizen-line.ts, fileNameMark). */
  nameHidden?: boolean;
  /** Withheld at send time: the citizen never got it (operator messages only). */
  withheld?: boolean;
  /** Forwarded by the citizen from someone else. */
  forwarded?: Forwarded;
  at: Date;
}

export type Inquiry = InquiryRecord & { ref: string };

/** What a Take did: taken now, taken by this operator before, kept by another, or the question is closed (or gone). */
export type TakeResult = 'taken' | 'already-yours' | 'taken-by-other' | 'closed';

export interface MessageIn {
  text?: string;
  media?: RelayableMedia;
  chatId: number;
  messageId: number;
  /** The file's name holds an IIN or a card number (citizen-line.ts, fileNameMark). */
  nameHidden?: true;
  /** A citizen's message forwarded from someone else. */
  forwarded?: Forwarded;
}

/** Citizen questions for a person: numbering, the open limit, messages both ways, status. */
export class InquiriesService {
  private readonly inquiries: InquiryModel;
  private readonly lock: RecordLock;
  private indexes?: Promise<unknown>;
  /** Staff topics of questions deleted with the person's data (erased-topics.ts). */
  readonly erasedTopics: ErasedTopics;
  /** Citizens' follow-ups on their way into the staff topics (topic-mirror.ts). */
  readonly topicMirrors: TopicMirrors;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly audit: AuditService,
  ) {
    this.inquiries = inquiryModel(deps.connection);
    this.lock = inquiryRecordLock(deps);
    this.erasedTopics = new ErasedTopics(deps.connection);
    this.topicMirrors = new TopicMirrors(deps.connection);
  }

  private ready(): Promise<unknown> {
    this.indexes ??= this.inquiries.init();
    return this.indexes;
  }

  t(locale: Locale) {
    return this.deps.i18n.t(locale);
  }

  /**
   * Opens an inquiry. The same form sent twice finds the first one (submission key); a person
   * at the open limit is told so; the open slots and reference numbers are settled by unique
   * indexes, because FerretDB does not apply a count-then-insert or $inc atomically.
   */
  async create(input: NewInquiry): Promise<CreateResult> {
    await this.ready();
    const existing = await this.inquiries.findOne({ submissionKey: input.submissionKey }, { ref: 1 }).lean<{ ref: string }>();
    if (existing) return { result: 'existing', ref: existing.ref };
    const max = this.deps.config.INQUIRY_MAX_OPEN;
    const taken = new Set(
      (await this.inquiries.find({ userId: input.userId, openSlot: { $exists: true } }, { openSlot: 1 }).lean<Array<{ openSlot?: string }>>()).map((d) => d.openSlot),
    );
    if (taken.size >= max) return { result: 'limit', open: taken.size };
    const now = this.deps.now();
    const year = kzDateParts(now).year;
    let slot = 1;
    for (let attempt = 1; ; attempt += 1) {
      while (taken.has(`${input.userId}.${slot}`) && slot <= max) slot += 1;
      if (slot > max) return { result: 'limit', open: max };
      const seq = await nextSequence(this.deps.connection, `inquiry-${year}`);
      const ref = `Q-${year}-${String(seq).padStart(6, '0')}`;
      try {
        await this.inquiries.create({
          ref,
          submissionKey: input.submissionKey,
          userId: input.userId,
          chatId: input.chatId,
          locale: input.locale,
          topic: input.topic,
          region: input.region,
          status: 'open',
          openSlot: `${input.userId}.${slot}`,
          messages: [input.attachment
            ? { from: 'citizen', ...(input.text ? { textEnc: this.deps.cipher.encrypt(input.text) } : {}), ...input.attachment, ...this.forwardMark(input.forwarded), at: now }
            : { from: 'citizen', textEnc: this.deps.cipher.encrypt(input.text), ...this.forwardMark(input.forwarded), at: now }],
          createdAt: now,
        });
        this.deps.logger.info({ ref, topic: input.topic }, 'inquiry opened');
        await this.audit.record(input.userId, 'inquiry.open', `inquiry:${ref}`, { topic: input.topic });
        return { result: 'created', ref };
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= MAX_REF_ATTEMPTS) throw error;
        const same = await this.inquiries.findOne({ submissionKey: input.submissionKey }, { ref: 1 }).lean<{ ref: string }>();
        if (same) return { result: 'existing', ref: same.ref };
        // Either the slot or the number was taken by a racing write: look again and retry.
        const nowTaken = await this.inquiries.findOne({ openSlot: `${input.userId}.${slot}` }, { _id: 1 }).lean();
        if (nowTaken) taken.add(`${input.userId}.${slot}`);
      }
    }
  }

  async get(ref: string): Promise<Inquiry | null> {
    if (!INQUIRY_REF.test(ref)) return null;
    return this.inquiries.findOne({ ref }).lean<Inquiry>();
  }

  /** Whether the question is still there for this chat: gone once the person deleted their data. */
  async stillFor(ref: string, chatId: number): Promise<boolean> {
    return (await this.inquiries.exists({ ref, chatId })) !== null;
  }

  async getForUser(userId: number, ref: string): Promise<Inquiry | null> {
    if (!INQUIRY_REF.test(ref)) return null;
    return this.inquiries.findOne({ ref, userId }).lean<Inquiry>();
  }

  /**
   * The question whose topic this is: the group and the thread together (thread ids are numbered
   * per group). A record without its group (the previous release, during a deploy) is in the
   * configured group.
   */
  async byThread(chatId: number, threadId: number): Promise<Inquiry | null> {
    const here = chatId === this.deps.config.STAFF_CHAT_ID ? [{ staffChatId: chatId }, { staffChatId: { $exists: false } }] : [{ staffChatId: chatId }];
    return this.inquiries.findOne({ threadId, $or: here }).lean<Inquiry>();
  }

  /** Questions whose topic is in another group than `chatId` (staff moved): open ones first, a page at a time. */
  async inFormerGroup(chatId: number, openLimit: number, closedLimit: number): Promise<Array<Pick<Inquiry, 'ref' | 'threadId' | 'staffChatId' | 'status'>>> {
    const elsewhere = { threadId: { $exists: true }, staffChatId: { $exists: true, $ne: chatId } };
    const fields = { ref: 1, threadId: 1, staffChatId: 1, status: 1 };
    const open = await this.inquiries.find({ ...elsewhere, status: { $ne: 'closed' } }, fields).limit(openLimit).lean<Inquiry[]>();
    const closed = await this.inquiries.find({ ...elsewhere, status: 'closed' }, fields).limit(closedLimit).lean<Inquiry[]>();
    return [...open, ...closed];
  }

  /** Open questions whose topic was left in a former group and that have none here yet. */
  async owingTopic(limit: number): Promise<Array<Pick<Inquiry, 'ref'>>> {
    return this.inquiries.find({ topicOwed: true, status: { $ne: 'closed' } }, { ref: 1 }).limit(limit).lean<Inquiry[]>();
  }

  /**
   * Staff moved to another group: the question's topic in the former group `fromChatId` is
   * recorded for deletion (erased-topic-deletion.ts; nothing is posted there), then forgotten, and
   * an open question is owed a topic in the current group. Recorded first, so a process stopped in
   * between leaves the topic to be deleted all the same; the forgetting is conditional on the
   * topic (under the record's lock), so only the first of two processes doing it gets true and
   * makes the new topic. A question deleted or moved meanwhile: false.
   */
  async leaveTopic(ref: string, fromChatId: number, threadId: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const current = await this.inquiries.findOne({ ref, threadId, staffChatId: fromChatId }, { status: 1 }).lean<Pick<Inquiry, 'status'>>();
      if (!current) return false;
      await this.erasedTopics.recordLeft({ chatId: fromChatId, threadId, ref });
      const owed = current.status === 'closed' ? {} : { $set: { topicOwed: true } };
      const result = await this.inquiries.updateOne({ ref, threadId, staffChatId: fromChatId }, { $unset: { threadId: 1, staffChatId: 1, cardMessageId: 1, topicCopy: 1 }, ...owed });
      return result.modifiedCount > 0;
    });
  }

  /** The person's inquiries, newest first. */
  async listForUser(userId: number): Promise<Inquiry[]> {
    return this.inquiries.find({ userId }).sort({ createdAt: -1 }).limit(20).lean<Inquiry[]>();
  }

  /** How many inquiries the bot holds for this person (My data names the newest, counts the rest). */
  async countForUser(userId: number): Promise<number> {
    return this.inquiries.countDocuments({ userId });
  }

  /** Every inquiry of this person, however many ("delete my data" clears what the queue keeps of each). */
  async allForUser(userId: number): Promise<Inquiry[]> {
    return this.inquiries.find({ userId }).lean<Inquiry[]>();
  }

  /** The latest inquiry still open for this person (follow-ups join it). */
  async openForUser(userId: number): Promise<Inquiry | null> {
    return this.inquiries.findOne({ userId, status: { $ne: 'closed' } }).sort({ createdAt: -1 }).lean<Inquiry>();
  }

  messages(inquiry: Pick<InquiryRecord, 'messages'>): ShownMessage[] {
    return inquiry.messages.map((m) => ({
      from: m.from,
      text: m.textEnc ? this.deps.cipher.decrypt(m.textEnc) : undefined,
      media: m.media ?? undefined,
      chatId: m.chatId ?? undefined,
      messageId: m.messageId ?? undefined,
      ...(m.nameHidden ? { nameHidden: true } : {}),
      ...(m.withheld ? { withheld: true } : {}),
      ...(m.forwarded ? { forwarded: m.forwardedFromEnc ? { from: this.deps.cipher.decrypt(m.forwardedFromEnc) } : {} } : {}),
      at: m.at,
    }));
  }

  /**
   * An operator's message was withheld at send time: marked so that the citizen is never shown
   * it ("My questions"). `chatId` is the operator's private chat, or undefined for the staff group.
   */
  async markWithheld(ref: string, message: { chatId?: number; messageId: number }): Promise<void> {
    return this.lock.run(ref, async () => {
      const inquiry = await this.get(ref);
      const index = inquiry?.messages.findIndex(
        (m) => m.from === 'operator' && m.messageId === message.messageId && (message.chatId === undefined ? (m.chatId ?? 0) < 0 : m.chatId === message.chatId),
      );
      if (index === undefined || index < 0) return;
      await this.inquiries.updateOne({ ref }, { $set: { [`messages.${index}.withheld`]: true } });
    });
  }

  /**
   * The person replaced the file of a message of theirs by one whose name holds an IIN: marked as
   * if sent so (nameHidden), since a copy made from now on (into a topic made again) shows the
   * new name. Open questions only: a closed one's topic is never made again.
   */
  async markNameHidden(userId: number, message: { chatId: number; messageId: number }): Promise<void> {
    const isIt = (m: InquiryRecord['messages'][number]) => m.from === 'citizen' && m.chatId === message.chatId && m.messageId === message.messageId;
    const open = await this.inquiries.find({ userId, status: { $ne: 'closed' } }).lean<Inquiry[]>();
    for (const { ref } of open.filter((inquiry) => inquiry.messages.some(isIt))) {
      await this.lock.run(ref, async () => {
        const index = (await this.get(ref))?.messages.findIndex(isIt);
        if (index === undefined || index < 0) return;
        await this.inquiries.updateOne({ ref }, { $set: { [`messages.${index}.nameHidden`]: true } });
      });
    }
  }

  /**
   * A citizen's follow-up joins their open inquiry (audited as a relay to the operators). The
   * mailbox may run an update again after a passing failure: a message already stored is not
   * stored or audited twice, but still reported as joined so the topic gets it.
   */
  async addCitizenMessage(ref: string, userId: number, message: MessageIn): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const inquiry = await this.getForUser(userId, ref);
      if (!inquiry || inquiry.status === 'closed') return false;
      if (inquiry.messages.some((m) => m.from === 'citizen' && m.chatId === message.chatId && m.messageId === message.messageId)) return true;
      const result = await this.inquiries.updateOne(
        { ref, userId, status: { $ne: 'closed' } },
        // Someone who writes to the bot has not blocked it (any more): operators' answers go to them again.
        { $push: { messages: this.stored('citizen', message) }, $unset: { citizenBlocked: 1 } },
      );
      if (result.modifiedCount === 0) return false;
      await this.audit.record(userId, 'inquiry.citizen-message', `inquiry:${ref}`, { media: message.media ?? 'text' });
      return true;
    });
  }

  /** An operator's answer: stored, status answered, first answer time kept for the figures. */
  async addOperatorMessage(ref: string, operatorId: number, message: MessageIn): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const inquiry = await this.get(ref);
      if (!inquiry || inquiry.status === 'closed') return false;
      // The mailbox tries an update again after a passing failure (e.g. the queue was unreachable
      // after this was stored): the same operator message must not be stored or audited twice.
      const stored = (inquiry as { messages?: Array<{ from?: string; chatId?: number; messageId?: number }> }).messages ?? [];
      if (stored.some((m) => m.from === 'operator' && m.chatId === message.chatId && m.messageId === message.messageId)) return true;
      const now = this.deps.now();
      await this.inquiries.updateOne(
        { ref },
        {
          $push: { messages: { ...this.stored('operator', message), by: operatorId } },
          $set: { status: 'answered', ...(inquiry.firstAnsweredAt ? {} : { firstAnsweredAt: now }) },
        },
      );
      await this.audit.record(operatorId, 'inquiry.relay', `inquiry:${ref}`, { media: message.media ?? 'text' });
      return true;
    });
  }

  private stored(from: 'citizen' | 'operator', message: MessageIn) {
    return {
      from,
      ...(message.text ? { textEnc: this.deps.cipher.encrypt(message.text) } : {}),
      ...(message.media ? { media: message.media } : {}),
      chatId: message.chatId,
      messageId: message.messageId,
      ...(message.nameHidden ? { nameHidden: true } : {}),
      ...this.forwardMark(message.forwarded),
      at: this.deps.now(),
    };
  }

  /** A forwarded message's mark as stored: its first author's name encrypted, like the text. */
  private forwardMark(forwarded: Forwarded | undefined) {
    if (!forwarded) return {};
    return { forwarded: true, ...(forwarded.from ? { forwardedFromEnc: this.deps.cipher.encrypt(forwarded.from) } : {}) };
  }

  /**
   * Notes the topic just made for the question. False when the question was deleted with the
   * person's data while the topic was being made: the topic is recorded as erased instead, so the
   * reminder tick deletes it, and nothing of the person is to be posted into it. Under the
   * question's lock, as the erasure's deletion is (eraseForUser): one of the two sees the other.
   */
  async setThread(ref: string, threadId: number, chatId: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      // A question moved from a former group gets its conversation so far copied, in order and
      // resumably (topic-copy.ts): what it holds now is what the operators here have not seen.
      const moved = await this.inquiries.findOne({ ref, topicOwed: true }, { messages: 1 }).lean<Pick<Inquiry, 'messages'>>();
      const copy = moved ? { topicCopy: { threadId, next: TOPIC_COPY_CARD, answersBefore: moved.messages.length, since: this.deps.now() } } : {};
      const result = await this.inquiries.updateOne({ ref }, { $set: { threadId, staffChatId: chatId, ...copy }, $unset: { topicOwed: 1 } });
      if (result.matchedCount > 0) return true;
      await this.erasedTopics.record([{ chatId, threadId, ref }]);
      return false;
    });
  }

  /**
   * The topic was deleted in the group: forgotten, so that a new one is made. Only the first of
   * two processes that find it gone gets true (and makes the new topic).
   */
  async forgetThread(ref: string, threadId: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const result = await this.inquiries.updateOne({ ref, threadId, status: { $ne: 'closed' } }, { $unset: { threadId: 1, staffChatId: 1, cardMessageId: 1, topicCopy: 1 } });
      return result.modifiedCount > 0;
    });
  }

  /**
   * Questions whose conversation is still being copied into their new topic in group `chatId`
   * (the move pass resumes them). Not a copy into a former group's topic (staff moved again
   * before it was through): it cannot go on, and the pass moves its question (inFormerGroup).
   */
  async copyingIntoTopic(chatId: number, limit: number): Promise<Array<Pick<Inquiry, 'ref'>>> {
    // The field itself, not `topicCopy.threadId`: FerretDB reads a path into a subdocument six
    // times slower (20 ms against 3 ms a look over 3,000 questions).
    return this.inquiries.find({ topicCopy: { $exists: true }, staffChatId: chatId }, { ref: 1 }).limit(limit).lean<Inquiry[]>();
  }

  /** The copy into topic `threadId` got as far as `next` (from `from`): false when another process moved it on, or the topic changed. */
  async copiedUpTo(ref: string, threadId: number, from: number, next: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const result = await this.inquiries.updateOne({ ref, 'topicCopy.threadId': threadId, 'topicCopy.next': from }, { $set: { 'topicCopy.next': next } });
      return result.modifiedCount > 0;
    });
  }

  /**
   * The copy into topic `threadId` is finished when it got past every message. Under the record's
   * lock, as a follow-up's storing is: a follow-up stored before this sees the copy still going
   * (it is posted by it); one stored after sees it finished and is posted as any other.
   */
  async finishCopy(ref: string, threadId: number, next: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const current = await this.inquiries.findOne({ ref, 'topicCopy.threadId': threadId }, { messages: 1, status: 1 }).lean<Pick<Inquiry, 'messages' | 'status'>>();
      if (!current) return true;
      if (current.status !== 'closed' && current.messages.length > next) return false;
      await this.inquiries.updateOne({ ref, 'topicCopy.threadId': threadId }, { $unset: { topicCopy: 1 } });
      return true;
    });
  }

  async setCard(ref: string, messageId: number): Promise<void> {
    return this.lock.run(ref, async () => {
      await this.inquiries.updateOne({ ref }, { $set: { cardMessageId: messageId } });
    });
  }

  /**
   * Take and Move leave a closed question as it is; false when it was closed (also by a Close
   * that landed after the caller read it open). The record lock keeps the writers in turn, so the
   * condition is safe on FerretDB too.
   */
  /**
   * The first operator to take a question keeps it: another one's Take is refused
   * ('taken-by-other') while `stillHolds` says the one who took it may still answer it (a member
   * whose access was withdrawn or narrowed since loses it to the next). The same operator again
   * changes nothing ('already-yours'). Under the question's lock, so two taps at once take it once.
   */
  async take(ref: string, operatorId: number, stillHolds: (takenBy: number) => Promise<boolean> = async () => true): Promise<TakeResult> {
    return this.lock.run(ref, async () => {
      const current = await this.inquiries.findOne({ ref }, { status: 1, takenBy: 1 }).lean<Pick<InquiryRecord, 'status' | 'takenBy'>>();
      if (!current || current.status === 'closed') return 'closed';
      if (current.takenBy === operatorId) return 'already-yours';
      if (current.takenBy != null && (await stillHolds(current.takenBy))) return 'taken-by-other';
      const result = await this.inquiries.updateOne({ ref, status: { $ne: 'closed' } }, { $set: { takenBy: operatorId } });
      if (result.matchedCount === 0) return 'closed';
      await this.audit.record(operatorId, 'inquiry.take', `inquiry:${ref}`, current.takenBy != null ? { from: current.takenBy } : undefined);
      return 'taken';
    });
  }

  async move(ref: string, operatorId: number, topic: InquiryTopic): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const result = await this.inquiries.updateOne({ ref, status: { $ne: 'closed' } }, { $set: { topic } });
      if (result.matchedCount === 0) return false;
      await this.audit.record(operatorId, 'inquiry.move', `inquiry:${ref}`, { topic });
      return true;
    });
  }

  /**
   * Closes once; returns false when it was closed already. Frees the person's open slot. What the
   * close still owes (the topic, the notice) is marked with it: `closeDue`, cleared by `closeFinished`.
   */
  async close(ref: string, actorId: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      const now = this.deps.now();
      const result = await this.inquiries.updateOne(
        { ref, status: { $ne: 'closed' } },
        { $set: { status: 'closed' satisfies InquiryStatus, closedAt: now, closeDue: { by: actorId, at: now } }, $unset: { openSlot: 1 } },
      );
      if (result.modifiedCount === 0) return false;
      await this.auditClose(ref, actorId);
      return true;
    });
  }

  /** The close's line, once (a question is closed once): the close, or its finishing run again. */
  async auditClose(ref: string, actorId: number): Promise<void> {
    await this.audit.recordOnce(`inquiry.close:${ref}`, actorId, 'inquiry.close', `inquiry:${ref}`);
  }

  /** Everything the close owed is done. */
  async closeFinished(ref: string): Promise<void> {
    await this.lock.run(ref, () => this.inquiries.updateOne({ ref, closeDue: { $exists: true } }, { $unset: { closeDue: 1 } }));
  }

  /** Closes written before `before` whose topic or notice may still be owed (the process stopped, a write failed). */
  closesDue(before: Date): Promise<Inquiry[]> {
    return this.inquiries.find({ status: 'closed', 'closeDue.at': { $lt: before } }, { messages: 0 }).limit(50).lean<Inquiry[]>();
  }

  /**
   * The "question closed" notice (`answeredMark`: the telling it was, none for the first) was
   * withheld: the question waits for another operator to tell the person. A notice from before
   * the latest telling, retried late, does not mark it again (that telling told the person).
   */
  async markCloseWithheld(ref: string, by: number, answeredMark: string | undefined): Promise<boolean> {
    // Under the inquiry's lock, as every write of it: on FerretDB this write of the whole record
    // could undo a rating or a follow-up written between its read and its write.
    return this.lock.run(ref, async () => {
      const inquiry = await this.inquiries.findOne({ ref, status: 'closed' }, { closeNotice: 1, closeToldMark: 1 }).lean<Pick<InquiryRecord, 'closeNotice' | 'closeToldMark'>>();
      if (!inquiry) return false;
      const waiting = inquiry.closeNotice?.mark ?? undefined;
      if (inquiry.closeNotice ? answeredMark !== waiting : answeredMark !== (inquiry.closeToldMark ?? undefined)) return false;
      const mark = createHash('sha256').update(`${ref}:close:${answeredMark ?? ''}`).digest('hex').slice(0, 12);
      const result = await this.inquiries.updateOne({ ref, status: 'closed', 'closeNotice.mark': { $ne: mark } }, { $set: { closeNotice: { by, at: this.deps.now(), mark } } });
      return result.modifiedCount > 0;
    });
  }

  /** The telling of a withheld close is queued: the mark is cleared (only the first of two at once audits). */
  async closeTold(ref: string, mark: string, actorId: number, withheldBy: number | undefined): Promise<void> {
    const result = await this.lock.run(ref, () =>
      this.inquiries.updateOne({ ref, 'closeNotice.mark': mark }, { $unset: { closeNotice: 1 }, $set: { closeToldMark: mark } }),
    );
    if (result.modifiedCount > 0) await this.audit.record(actorId, 'inquiry.close.confirm', `inquiry:${ref}`, { withheldBy });
  }

  async rate(userId: number, ref: string, rating: number): Promise<boolean> {
    return this.lock.run(ref, async () => {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) return false;
      // The buttons stay in the chat: the same rating again (a double tap) is taken without a
      // second write or audit line.
      const current = await this.inquiries.findOne({ ref, userId, status: 'closed' }, { rating: 1 }).lean<Pick<InquiryRecord, 'rating'>>();
      if (!current) return false;
      if (current.rating === rating) return true;
      const result = await this.inquiries.updateOne({ ref, userId, status: 'closed' }, { $set: { rating } });
      if (result.matchedCount === 0) return false;
      await this.audit.record(userId, 'inquiry.rate', `inquiry:${ref}`, { rating });
      return true;
    });
  }

  async markBlocked(ref: string): Promise<void> {
    return this.lock.run(ref, async () => {
      await this.inquiries.updateOne({ ref }, { $set: { citizenBlocked: true } });
      await this.audit.record(0, 'inquiry.citizen-blocked', `inquiry:${ref}`);
    });
  }

  /**
   * Inquiries not closed that this operator may answer: by topic, then oldest first (without
   * their messages: the list shows none). Every waiting one is read before the scope filter: a
   * cut before it hid an operator's own region behind a backlog from other regions.
   */
  async queue(access: Access | null): Promise<Array<Omit<Inquiry, 'messages'>>> {
    // Open ones, and closed ones whose person has not been told (their notice was withheld).
    const open = await this.inquiries
      .find({ $or: [{ status: { $ne: 'closed' } }, { closeNotice: { $exists: true } }] }, { messages: 0 })
      .sort({ createdAt: 1 })
      .lean<Array<Omit<Inquiry, 'messages'>>>();
    return open
      .filter((i) => allows(access, 'inquiries.answer', { topic: i.topic, ...(i.region ? { region: i.region } : {}) }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Waiting for a first answer longer than the configured time and not reminded yet. */
  async waitingTooLong(): Promise<Inquiry[]> {
    const before = new Date(this.deps.now().getTime() - this.deps.config.INQUIRY_REMIND_MINUTES * 60_000);
    return this.inquiries
      .find({ status: 'open', firstAnsweredAt: { $exists: false }, remindedAt: { $exists: false }, createdAt: { $lt: before } })
      .limit(100)
      .lean<Inquiry[]>();
  }

  async markReminded(ref: string): Promise<void> {
    return this.lock.run(ref, async () => {
      await this.inquiries.updateOne({ ref }, { $set: { remindedAt: this.deps.now() } });
    });
  }

  /** For the figures: every inquiry opened in the period (no texts). */
  async inPeriod(from: Date): Promise<Array<Pick<InquiryRecord, 'topic' | 'region' | 'locale' | 'createdAt' | 'firstAnsweredAt' | 'status' | 'rating'>>> {
    return this.inquiries
      .find({ createdAt: { $gte: from } }, { topic: 1, region: 1, locale: 1, createdAt: 1, firstAnsweredAt: 1, status: 1, rating: 1 })
      .lean();
  }

  /** "Delete my data": the person's inquiries go, texts and all; returns their numbers. */
  async eraseForUser(userId: number): Promise<string[]> {
    // The questions are what finds everything else, so they go last: a try stopped half-way (the
    // database went away) is run again by the chat's mailbox and must find them all again.
    const refs = (await this.inquiries.find({ userId }, { ref: 1 }).lean<Array<{ ref: string }>>()).map((d) => d.ref).sort();
    await this.topicMirrors.forgetQuestions(refs);
    await this.audit.forgetCitizen(userId, CITIZEN_AUDIT_ACTIONS);
    // That it happened and how much, not to whom: the record of the erasure must not undo it.
    // Once, however often the erasure runs: named by its first question's number, which the
    // lines of that question (actor 0 now) carry anyway.
    if (refs.length) await this.audit.recordOnce(`inquiry.erase:${refs[0]}`, 0, 'inquiry.erase', undefined, { count: refs.length });
    for (const ref of refs) {
      // A topic made while this erasure ran (openTopic, noting it under this lock) is recorded
      // before its question goes, so the topic is deleted with the others.
      await this.lock.run(ref, async () => {
        const left = await this.inquiries.findOne({ ref }, { ref: 1, threadId: 1, staffChatId: 1 }).lean<Pick<InquiryRecord, 'ref' | 'threadId' | 'staffChatId'>>();
        // Its group from the record when STAFF_CHAT_ID is unset now: the topic there is deleted all the same.
        const chatId = left ? knownTopicGroup(left, this.deps.config.STAFF_CHAT_ID) : undefined;
        if (left?.threadId && chatId !== undefined) await this.erasedTopics.record([{ ...left, chatId }]);
        await this.inquiries.deleteOne({ ref });
      });
    }
    await this.inquiries.deleteMany({ userId });
    return refs;
  }
}
