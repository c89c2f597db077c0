import type { Connection } from 'mongoose';
import { erasedTopicModel, type ErasedTopicModel, type ErasedTopicRecord } from './erased-topic.model.js';

/** The staff topics of deleted questions, and whether each is told and closed yet. */
export class ErasedTopics {
  private readonly topics: ErasedTopicModel;

  constructor(connection: Connection) {
    this.topics = erasedTopicModel(connection);
  }

  init(): Promise<unknown> {
    return this.topics.init();
  }

  /** Written before the questions are deleted, so a crash or Telegram down in between loses no topic. */
  async record(inquiries: ReadonlyArray<{ threadId?: number | null; ref: string; status: string }>): Promise<void> {
    for (const inquiry of inquiries) {
      if (!inquiry.threadId || inquiry.status === 'closed') continue;
      await this.topics.updateOne({ threadId: inquiry.threadId }, { $setOnInsert: { threadId: inquiry.threadId, ref: inquiry.ref } }, { upsert: true });
    }
  }

  byThread(threadId: number): Promise<ErasedTopicRecord | null> {
    return this.topics.findOne({ threadId }).lean<ErasedTopicRecord>();
  }

  notClosed(limit = 50): Promise<ErasedTopicRecord[]> {
    return this.topics.find({ closed: false }).limit(limit).lean<ErasedTopicRecord[]>();
  }

  async mark(threadId: number, done: 'told' | 'closed'): Promise<void> {
    await this.topics.updateOne({ threadId }, { $set: { [done]: true } });
  }
}
