import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { GRANT_STATUSES } from './grant-status.js';

const historySchema = new Schema(
  {
    status: { type: String, enum: GRANT_STATUSES, required: true },
    at: { type: Date, required: true },
    /** Telegram id of whoever made the change (staff, or the applicant); 0 once the applicant erased their data. */
    by: { type: Number, required: true },
    /** Staff's comment or reason, shown to the applicant; sealed (free-text.ts): it may quote the applicant's numbers. */
    commentEnc: { type: String },
    /** The same comment in the clear, as entries written before comments were sealed hold it. */
    comment: { type: String },
    /** The applicant's answer to "more information needed", sealed (free-text.ts); erased with their data. */
    answerEnc: { type: String },
    /** The same answer in the clear, as records written before answers were sealed hold it. */
    answer: { type: String },
  },
  { _id: false },
);

/**
 * One application for family-business support. IIN and phone are only stored encrypted, with
 * keyed hashes beside them for lookups; no birth date is stored because it is part of the IIN.
 */
const grantApplicationSchema = new Schema(
  {
    ref: { type: String, required: true, unique: true },
    /** User id + the form's start time: a retried or double-tapped Submit finds the first record. */
    submissionKey: { type: String, required: true, unique: true },
    /** Unset when the applicant erases their data: the record stays, the Telegram link goes. */
    userId: { type: Number, index: true },
    chatId: { type: Number },
    locale: { type: String, enum: ['kk', 'ru', 'en'], required: true },
    programme: { type: String, enum: ['grant', 'microloan'], required: true },
    status: { type: String, enum: GRANT_STATUSES, required: true, index: true },
    name: { type: String },
    iinEnc: { type: String, required: true },
    iinHash: { type: String, required: true, index: true },
    /**
     * "<iinHash>.<programme>" while the application is open, removed at the final decision. Its
     * unique index is what keeps one open application per IIN and programme when two chats
     * submit at once (a look-up first cannot). Sparse, so closed and older records never clash;
     * FerretDB ignores `sparse` but never compares missing values either.
     */
    activeKey: { type: String, unique: true, sparse: true },
    phoneEnc: { type: String },
    phoneHash: { type: String, index: true },
    region: { type: String, required: true, index: true },
    groups: { type: [String], default: [] },
    members: { type: Number, required: true },
    children: { type: Number, required: true },
    sector: { type: String, required: true },
    /** The business idea in the applicant's words, sealed (free-text.ts): people type numbers there too. */
    ideaEnc: { type: String },
    /** The idea in the clear, as applications written before ideas were sealed hold it. */
    idea: { type: String },
    amount: { type: Number, required: true },
    mci: { type: Number, required: true },
    mciYear: { type: Number, required: true },
    certificateYear: { type: Number },
    consentAt: { type: Date, required: true },
    erasedAt: { type: Date },
    history: { type: [historySchema], default: [] },
    /**
     * Set when the notice of the latest decision was withheld because the member who took it lost
     * their review access before it was sent: another reviewer confirms it (the notice goes then)
     * or changes it. `index` is that decision's place in the history.
     */
    confirmation: { type: new Schema({ index: Number, by: Number, at: Date }, { _id: false }), required: false },
    /** The history entry whose withheld notice another reviewer confirmed (a late retry of the first notice's job must not mark it again). */
    confirmedIndex: { type: Number, required: false },
  },
  { timestamps: true },
);

export type GrantApplicationRecord = InferSchemaType<typeof grantApplicationSchema> & { _id: unknown };
export type GrantHistoryEntry = GrantApplicationRecord['history'][number];
const build = (connection: Connection) => connection.model('GrantApplication', grantApplicationSchema);
export type GrantApplicationModel = ReturnType<typeof build>;

export function grantApplicationModel(connection: Connection): GrantApplicationModel {
  return (connection.models.GrantApplication as GrantApplicationModel | undefined) ?? build(connection);
}
