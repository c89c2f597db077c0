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
    /**
     * The group the topic is in: thread ids are numbered per group, and staff may move to another
     * group. Records from before it got the group configured at the first start that saw them.
     */
    chatId: { type: Number },
    threadId: { type: Number, required: true },
    ref: { type: String, required: true },
    /**
     * A topic left in a former staff group by a move (its question closed, or moved on to a topic in
     * the new group): only deleted, never told or closed (the group may hold people who are not
     * staff any more, and the bot posts nothing there).
     */
    left: { type: Boolean },
    /** When Telegram first refused to delete a topic in a former group: tried daily until FORMER_GROUP_GIVE_UP_MS after it. */
    refusedSince: { type: Date },
    /** Given up: Telegram refused in a former group for that long (the bot is out of it, or has no right there). */
    gaveUp: { type: Boolean },
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
// One record per topic: a topic is its group and its thread (the same thread id may be in two groups).
erasedTopicSchema.index({ chatId: 1, threadId: 1 }, { unique: true });
erasedTopicSchema.index({ deleted: 1, deletedAt: 1 });

export type ErasedTopicRecord = InferSchemaType<typeof erasedTopicSchema>;
const build = (c: Connection) => c.model('InquiryErasedTopic', erasedTopicSchema);
export type ErasedTopicModel = ReturnType<typeof build>;
export const erasedTopicModel = (c: Connection): ErasedTopicModel => (c.models.InquiryErasedTopic as ErasedTopicModel | undefined) ?? build(c);
