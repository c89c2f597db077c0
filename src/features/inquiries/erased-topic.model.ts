import type { Connection } from 'mongoose';
import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A staff topic whose question was deleted with the person's data ("Delete my data"). Holds only
 * the topic and the question's number, nothing of the person. The bot deletes the topic with
 * everything in it; where Telegram will not (no "delete messages" right), the topic is told and
 * closed instead, and the record is kept so an operator who still writes in it (admins can write
 * in closed topics) is told the question is gone. `closed: false` is retried by the reminder tick,
 * and so is the deletion of a closed topic not `deleted` (once a day, at `retryDeleteAt`). A
 * deleted topic's record is removed a day later.
 */
const erasedTopicSchema = new Schema(
  {
    threadId: { type: Number, required: true, unique: true },
    ref: { type: String, required: true },
    /** Telegram deleted the topic (or found it gone already): nothing of the person is left in the group. */
    deleted: { type: Boolean, default: false },
    /** Telegram refused to delete the topic for good: it is told and closed instead. */
    deleteRefused: { type: Boolean, default: false },
    /** The "deleted their data" line was posted in the topic (only when it could not be deleted). */
    told: { type: Boolean, default: false },
    /** Nothing more to do: the topic is deleted, or told and closed. */
    closed: { type: Boolean, default: false, index: true },
    /**
     * When a topic Telegram refused to delete is asked again (a day after the last refusal).
     * Unset: asked at the next tick, as the topics of erasures from before the bot deleted topics.
     */
    retryDeleteAt: { type: Date },
    /** When the bot saw the topic deleted (its clock): the record is removed a day later. */
    deletedAt: { type: Date },
  },
  { timestamps: true, collection: 'inquiryerasedtopics' },
);
// The tick's two look-ups: closed topics due for another deletion, deleted ones old enough to forget.
erasedTopicSchema.index({ closed: 1, retryDeleteAt: 1 });
erasedTopicSchema.index({ deleted: 1, deletedAt: 1 });

export type ErasedTopicRecord = InferSchemaType<typeof erasedTopicSchema>;
const build = (c: Connection) => c.model('InquiryErasedTopic', erasedTopicSchema);
export type ErasedTopicModel = ReturnType<typeof build>;
export const erasedTopicModel = (c: Connection): ErasedTopicModel => (c.models.InquiryErasedTopic as ErasedTopicModel | undefined) ?? build(c);
