import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { INQUIRY_TOPICS } from './faq-entry.js';
import { RELAYABLE_MEDIA_KINDS } from '../../telegram/types.js';

/** `topicCopy.next` of a copy whose header card is still to post: the card comes before the conversation. */
export const TOPIC_COPY_CARD = -1;

export const INQUIRY_STATUSES = ['open', 'answered', 'closed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

const messageSchema = new Schema(
  {
    from: { type: String, enum: ['citizen', 'operator'], required: true },
    /** The text, encrypted: citizens write what they like, IINs and phone numbers included. */
    textEnc: { type: String },
    media: { type: String, enum: RELAYABLE_MEDIA_KINDS },
    /** Where the original message is, so it can be copied (copyMessage) without storing the file. */
    chatId: { type: Number },
    messageId: { type: Number },
    /**
     * The attachment's file name holds an IIN or a card number (the name itself is not kept): the
     * staff group gets a note and a button instead of the file, which goes to an operator's
     * private chat after the access check (relay.ts, staff-chat.ts).
     */
    nameHidden: { type: Boolean },
    /** A citizen's message forwarded from someone else: the staff topic says so (topic-mirror.ts posts it again the same way). */
    forwarded: { type: Boolean },
    /** Who wrote it first, as Telegram named them, encrypted: a person's name is personal data. */
    forwardedFromEnc: { type: String },
    /** The operator's Telegram id (never shown to the citizen). */
    by: { type: Number },
    /**
     * An operator's message withheld at send time (they lost the right to answer this question):
     * kept for the staff and the audit, never shown to the citizen (My questions).
     */
    withheld: { type: Boolean },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A citizen's question for a person. The number is `Q-<year>-<6 digits>`; `openSlot` holds
 * "<userId>.<n>" while the inquiry is open, and its unique index is what keeps a person to the
 * configured number of open inquiries even when two chats race (a count first cannot).
 */
const inquirySchema = new Schema(
  {
    ref: { type: String, required: true, unique: true },
    /** The asking form's start time: a double-tapped Send finds the first inquiry. */
    submissionKey: { type: String, required: true, unique: true },
    /** Unset when the citizen erases their data. */
    userId: { type: Number, index: true },
    chatId: { type: Number },
    locale: { type: String, enum: ['kk', 'ru', 'en'], required: true },
    topic: { type: String, enum: INQUIRY_TOPICS, required: true, index: true },
    region: { type: String },
    status: { type: String, enum: INQUIRY_STATUSES, required: true, index: true },
    openSlot: { type: String, unique: true, sparse: true },
    /** The forum topic in the staff group, once created. */
    threadId: { type: Number, index: true },
    /**
     * The group `threadId` is in (STAFF_CHAT_ID when the topic was made): thread ids are numbered
     * per group, and staff may move to another group (docs/inquiries.md, "Moving the staff group").
     * Records from before it got the group configured at the first start that saw them
     * (topic-group-backfill.ts).
     */
    staffChatId: { type: Number },
    /**
     * The question's topic was left in a former staff group while it was open: a new topic in the
     * current group is owed (the move pass makes it, with the conversation so far).
     */
    topicOwed: { type: Boolean },
    /**
     * The conversation so far still being copied into the question's topic here after a move
     * (topic-copy.ts): `threadId` is that topic, `next` the next thing to post (-1 the header
     * card, then the index in `messages`), `answersBefore` how many messages there were when the
     * topic was made (operators' answers from before it are copied as lines, later ones were
     * written here). Unset once everything is posted; posted in order, one process at a time.
     */
    topicCopy: {
      type: new Schema({ threadId: { type: Number, required: true }, next: { type: Number, required: true }, answersBefore: { type: Number, required: true }, since: { type: Date, required: true } }, { _id: false }),
      required: false,
    },
    /** The header card in that topic, edited when the status changes. */
    cardMessageId: { type: Number },
    takenBy: { type: Number },
    messages: { type: [messageSchema], default: [] },
    createdAt: { type: Date, required: true, index: true },
    firstAnsweredAt: { type: Date },
    closedAt: { type: Date },
    /**
     * Written with the close, removed once its audit line is written, the staff topic closed
     * (card without buttons, "closed" said there) and the person's notice queued. One left behind
     * (a write failed after it, the process stopped) is finished by the same member's Close run
     * again or by the repair pass (closeInquiry / finishInterruptedCloses in relay.ts).
     */
    closeDue: { type: new Schema({ by: Number, at: Date }, { _id: false }), required: false },
    /**
     * The "question closed" notice was withheld (the operator who closed it lost the topic before
     * it went out): the close stands, the person has not been told; another operator tells them.
     */
    closeNotice: { type: new Schema({ by: Number, at: Date, mark: String }, { _id: false }), required: false },
    /** The mark the last telling answered (its notice's id carries it): an older notice retried late changes nothing. */
    closeToldMark: { type: String },
    remindedAt: { type: Date },
    rating: { type: Number, min: 1, max: 5 },
    /** The relay to the citizen was refused (403): they blocked the bot. */
    citizenBlocked: { type: Boolean },
  },
  { versionKey: false },
);

// An operator's message in a topic finds its question by the group and the topic together.
inquirySchema.index({ staffChatId: 1, threadId: 1 });
// The move pass's look-up of questions still owed a topic in the current group.
inquirySchema.index({ topicOwed: 1 }, { sparse: true });

export type InquiryRecord = InferSchemaType<typeof inquirySchema>;
export type InquiryMessage = InferSchemaType<typeof messageSchema>;
const buildInquiry = (c: Connection) => c.model('Inquiry', inquirySchema);
export type InquiryModel = ReturnType<typeof buildInquiry>;
export const inquiryModel = (c: Connection): InquiryModel => (c.models.Inquiry as InquiryModel | undefined) ?? buildInquiry(c);

/**
 * One knowledge base look-up, for the figures: answered or not, which entries, and whether the
 * person found it helpful or asked a person. Only unanswered questions keep their words (with
 * long digit runs masked), because those tell staff what to write next.
 */
const faqLogSchema = new Schema(
  {
    at: { type: Date, required: true, index: true },
    locale: { type: String, required: true },
    entryIds: { type: [String], default: [] },
    missText: { type: String },
    helped: { type: Boolean },
    asked: { type: Boolean },
  },
  { versionKey: false },
);
export type FaqLogRecord = InferSchemaType<typeof faqLogSchema>;
const buildFaqLog = (c: Connection) => c.model('FaqLog', faqLogSchema);
export type FaqLogModel = ReturnType<typeof buildFaqLog>;
export const faqLogModel = (c: Connection): FaqLogModel => (c.models.FaqLog as FaqLogModel | undefined) ?? buildFaqLog(c);

/** Knowledge base entries as staff maintain them (faq:import / faq:export, "make an entry"). */
const faqEntryDocSchema = new Schema(
  {
    id: { type: String, required: true, unique: true },
    topic: { type: String, enum: INQUIRY_TOPICS, required: true },
    sample: { type: Boolean, default: false },
    scene: { type: String },
    url: { type: String },
    kk: { q: String, k: String, a: String },
    ru: { q: String, k: String, a: String },
    en: { q: String, k: String, a: String },
    updatedAt: { type: Date },
  },
  { versionKey: false, collection: 'faqentries' },
);
const buildFaqEntry = (c: Connection) => c.model('FaqEntry', faqEntryDocSchema);
export type FaqEntryDocModel = ReturnType<typeof buildFaqEntry>;
export const faqEntryDocModel = (c: Connection): FaqEntryDocModel => (c.models.FaqEntry as FaqEntryDocModel | undefined) ?? buildFaqEntry(c);
