import type { Connection } from 'mongoose';
import { Schema, type InferSchemaType } from 'mongoose';

/**
 * A citizen's follow-up on its way into the staff topic: written before the post, `doneAt` once
 * it is posted (or cannot ever be). One still without `doneAt` after a failed post (Telegram
 * busy or down, a network error) or a crash is posted by the repair pass, so operators see it.
 * Holds the question's number and the message's id in the person's chat, nothing of the text.
 * A topic's header card that Telegram did not take is due the same way, under `HEADER_CARD` (-1).
 */
const topicMirrorSchema = new Schema(
  {
    ref: { type: String, required: true },
    messageId: { type: Number, required: true },
    at: { type: Date, required: true },
    doneAt: { type: Date },
  },
  { versionKey: false, collection: 'inquirytopicmirrors' },
);
// The unique pair is what tells a retried update that its message is already on its way or posted.
topicMirrorSchema.index({ ref: 1, messageId: 1 }, { unique: true });
topicMirrorSchema.index({ doneAt: 1, at: 1 });

export type TopicMirrorRecord = InferSchemaType<typeof topicMirrorSchema>;
const build = (c: Connection) => c.model('InquiryTopicMirror', topicMirrorSchema);
export type TopicMirrorModel = ReturnType<typeof build>;
export const topicMirrorModel = (c: Connection): TopicMirrorModel => (c.models.InquiryTopicMirror as TopicMirrorModel | undefined) ?? build(c);
