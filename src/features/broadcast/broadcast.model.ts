import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { LOCALES } from '../../telegram/types.js';
import { AUDIENCE_GROUPS, BROADCAST_STATUSES } from './broadcast-types.js';

const broadcastSchema = new Schema(
  {
    createdBy: { type: Number, required: true },
    /**
     * The author's id and the compose form's own key: "Send" run again finds this broadcast
     * instead of making a second. Sparse, so older records never clash; FerretDB ignores
     * `sparse` but never compares missing values either.
     */
    requestKey: { type: String, unique: true, sparse: true },
    /** Where the progress message and the final report go, and in which language. */
    staffChatId: { type: Number, required: true },
    staffLocale: { type: String, enum: LOCALES, required: true },
    /** The announcement per language, as the staff wrote it (no personal data). */
    texts: {
      kk: { type: String },
      ru: { type: String },
      en: { type: String },
    },
    /** Users whose language has no text get this one. */
    fallback: { type: String, enum: LOCALES, required: true },
    audience: {
      group: { type: String, enum: AUDIENCE_GROUPS, required: true },
      region: { type: String },
      language: { type: String, enum: LOCALES },
    },
    /**
     * For 'volunteers' and 'applicants': who was in the group when the broadcast was created, so
     * that queueing can carry on after a crash without asking the other services again.
     */
    recipientIds: { type: [Number], default: undefined },
    /**
     * Queueing one job per recipient takes a while for a large audience. Users are queued one
     * audience bucket at a time (User.bucket), and each bucket moves this cursor; a process that
     * dies half-way leaves `done: false` and an old `at`, and a worker's reconcile tick carries on
     * from `bucket`. Records from before this field existed have no `enqueue` and count as fully
     * queued.
     */
    enqueue: {
      type: new Schema(
        {
          done: { type: Boolean, required: true },
          /** Jobs queued so far (every bucket before `bucket`). */
          count: { type: Number, required: true },
          /** The next bucket to queue (absent: 0). */
          bucket: { type: Number },
          /**
           * The cursor of older versions, which walked the audience in _id order: such a
           * broadcast is queued again from bucket 0 (job ids keep what was queued from going twice).
           */
          upTo: { type: Schema.Types.ObjectId },
          /** When the last page was queued: a queuer that stays silent much longer has died. */
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
    },
    sendAt: { type: Date, required: true },
    status: { type: String, enum: BROADCAST_STATUSES, required: true, index: true },
    total: { type: Number, default: 0 },
    sent: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    blocked: { type: Number, default: 0 },
    /** Dropped at send time: announcements turned off, bot blocked, or the broadcast cancelled. */
    skipped: { type: Number, default: 0 },
    startedAt: { type: Date },
    finishedAt: { type: Date },
    cancelledAt: { type: Date },
    cancelledBy: { type: Number },
    /**
     * Written with the cancellation, removed once its queued jobs are removed and it is audited:
     * the tap run again (the queue was away, the process stopped) or the repair pass finishes one
     * left behind.
     */
    cancelDue: { type: Boolean },
    /**
     * Stopped at send time because its author lost the right to send it, written with the
     * cancellation itself; `authorToldAt` once the author's notice is queued and the refusal
     * audited. One without the other after a crash is finished by the repair pass.
     */
    withdrawnAt: { type: Date },
    authorToldAt: { type: Date },
    /** The staff's progress message, once sent (one worker claims sending it, in Redis). */
    progressMessageId: { type: Number },
  },
  { timestamps: true },
);
// Ascending: it serves the newest-first history as well, and FerretDB on PostgreSQL refuses a
// descending index, which failed the model's init() (awaited before relying on the unique key).
broadcastSchema.index({ createdAt: 1 });

export type BroadcastRecord = InferSchemaType<typeof broadcastSchema> & { _id: unknown };
const build = (connection: Connection) => connection.model('Broadcast', broadcastSchema);
export type BroadcastModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function broadcastModel(connection: Connection): BroadcastModel {
  return (connection.models.Broadcast as BroadcastModel | undefined) ?? build(connection);
}

export type BroadcastDoc = BroadcastRecord & { _id: Types.ObjectId };
