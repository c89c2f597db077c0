import type { Connection } from 'mongoose';
import { erasedTopicModel, type ErasedTopicModel, type ErasedTopicRecord } from './erased-topic.model.js';

/** The staff topics of deleted questions, and whether each is deleted (or told and closed) yet. */
export class ErasedTopics {
  private readonly topics: ErasedTopicModel;

  constructor(connection: Connection) {
    this.topics = erasedTopicModel(connection);
  }

  init(): Promise<unknown> {
    return this.topics.init();
  }

  /**
   * Written before the questions are deleted, so a crash or Telegram down in between loses no
   * topic. Closed questions too: their topics hold the person's words as much as open ones.
   */
  async record(inquiries: ReadonlyArray<{ threadId?: number | null; ref: string }>): Promise<void> {
    for (const inquiry of inquiries) {
      if (!inquiry.threadId) continue;
      await this.topics.updateOne({ threadId: inquiry.threadId }, { $setOnInsert: { threadId: inquiry.threadId, ref: inquiry.ref } }, { upsert: true });
    }
  }

  byThread(threadId: number): Promise<ErasedTopicRecord | null> {
    return this.topics.findOne({ threadId }).lean<ErasedTopicRecord>();
  }

  notClosed(limit = 50): Promise<ErasedTopicRecord[]> {
    return this.topics.find({ closed: false }).limit(limit).lean<ErasedTopicRecord[]>();
  }

  /**
   * Each step sets every flag it implies in one write: FerretDB writes back the whole document it
   * read, so a second write of another flag racing this one could undo it.
   */
  async mark(threadId: number, done: 'told' | 'closed' | 'deleted' | 'delete-refused'): Promise<void> {
    const set = done === 'deleted' ? { deleted: true, closed: true } : done === 'delete-refused' ? { deleteRefused: true } : { [done]: true };
    await this.topics.updateOne({ threadId }, { $set: set });
  }
}
