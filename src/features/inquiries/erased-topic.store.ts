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
   * Closed topics not deleted whose next try is due: refused a day ago or more, or never tried (the
   * erasures from before the bot deleted topics have no `deleted` and no `retryDeleteAt`). The
   * never-tried first, then the longest waiting.
   */
  dueForDeletion(now: Date, limit: number): Promise<ErasedTopicRecord[]> {
    return this.topics
      .find({ closed: true, deleted: { $ne: true }, $or: [{ retryDeleteAt: null }, { retryDeleteAt: { $lte: now } }] })
      .sort({ retryDeleteAt: 1, _id: 1 })
      .limit(limit)
      .lean<ErasedTopicRecord[]>();
  }

  /** Telegram refused the deletion: the topic is told and closed instead, and asked again at `retryAt`. */
  async markRefused(threadId: number, retryAt: Date): Promise<void> {
    await this.topics.updateOne({ threadId }, { $set: { deleteRefused: true, retryDeleteAt: retryAt } });
  }

  /** Refused again: asked again at `retryAt`. */
  async retryDeletionAt(threadId: number, retryAt: Date): Promise<void> {
    await this.topics.updateOne({ threadId }, { $set: { retryDeleteAt: retryAt } });
  }

  /**
   * Records of topics deleted before `before`: nothing needs them any more. Those deleted before
   * `deletedAt` was kept go by their last write, which was the deletion's.
   */
  async forgetDeleted(before: Date): Promise<number> {
    const old = { $or: [{ deletedAt: { $lte: before } }, { deletedAt: null, updatedAt: { $lte: before } }] };
    return (await this.topics.deleteMany({ deleted: true, ...old })).deletedCount;
  }

  /**
   * Each step sets every flag it implies in one write: FerretDB writes back the whole document it
   * read, so a second write of another flag racing this one could undo it.
   */
  async mark(threadId: number, done: 'told' | 'closed' | 'deleted', at = new Date()): Promise<void> {
    const set = done === 'deleted' ? { deleted: true, closed: true, deletedAt: at } : { [done]: true };
    await this.topics.updateOne({ threadId }, { $set: set });
  }
}
