import type { Connection } from 'mongoose';
import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A staff topic whose question was deleted with the person's data ("Delete my data"). Holds only
 * the topic and the question's number, nothing of the person. Kept after the topic is closed, so
 * an operator who still writes in it (admins can write in closed topics) is told the question is
 * gone; `closed: false` is retried by the reminder tick until Telegram closes the topic.
 */
const erasedTopicSchema = new Schema(
  {
    threadId: { type: Number, required: true, unique: true },
    ref: { type: String, required: true },
    /** The "deleted their data" line was posted in the topic. */
    told: { type: Boolean, default: false },
    closed: { type: Boolean, default: false, index: true },
  },
  { timestamps: true, collection: 'inquiryerasedtopics' },
);

export type ErasedTopicRecord = InferSchemaType<typeof erasedTopicSchema>;
const build = (c: Connection) => c.model('InquiryErasedTopic', erasedTopicSchema);
export type ErasedTopicModel = ReturnType<typeof build>;
export const erasedTopicModel = (c: Connection): ErasedTopicModel => (c.models.InquiryErasedTopic as ErasedTopicModel | undefined) ?? build(c);
