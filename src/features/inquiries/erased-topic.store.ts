import type { Connection } from 'mongoose';
import { erasedTopicModel, type ErasedTopicModel, type ErasedTopicRecord } from './erased-topic.model.js';

/** A forum topic: its group and its thread id there (thread ids are numbered per group). */
export interface TopicKey {
  chatId: number;
  threadId: number;
}

/**
 * The topic a record names: records from before the group was kept are in the configured one
 * (topic-group-backfill.ts fills it in). Undefined for such a record with no staff group configured.
 */
export function keyOf(record: Pick<ErasedTopicRecord, 'threadId'> & { chatId?: number | null }, staffChatId: number | undefined): TopicKey | undefined {
  const chatId = record.chatId ?? staffChatId;
  return chatId === undefined ? undefined : { chatId, threadId: record.threadId };
}

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
  async record(topics: ReadonlyArray<{ chatId: number; threadId?: number | null; ref: string }>): Promise<void> {
    for (const topic of topics) {
      if (!topic.threadId) continue;
      const key = { chatId: topic.chatId, threadId: topic.threadId };
      await this.topics.updateOne(key, { $setOnInsert: { ...key, ref: topic.ref } }, { upsert: true });
    }
  }

  /**
   * A topic a move left in a former staff group (its question closed, or given a topic in the new
   * group): to be deleted, slowly (retryRefusedDeletions, a few a tick), and never posted into, so
   * it starts as one told and closed. A topic recorded already (erased before) stays as it is.
   */
  async recordLeft(topic: TopicKey & { ref: string }): Promise<void> {
    const key = { chatId: topic.chatId, threadId: topic.threadId };
    await this.topics.updateOne(key, { $setOnInsert: { ...key, ref: topic.ref, left: true, closed: true } }, { upsert: true });
  }

  byThread(key: TopicKey): Promise<ErasedTopicRecord | null> {
    return this.topics.findOne({ chatId: key.chatId, threadId: key.threadId }).lean<ErasedTopicRecord>();
  }

  notClosed(limit = 50): Promise<ErasedTopicRecord[]> {
    return this.topics.find({ closed: false }).limit(limit).lean<ErasedTopicRecord[]>();
  }

  /**
   * Closed topics not deleted whose next try is due: refused a day ago or more, or never tried (the
   * erasures from before the bot deleted topics have no `deleted` and no `retryDeleteAt`, and
   * neither have the topics a move left behind). The never-tried first, then the longest waiting.
   * Not those given up.
   */
  dueForDeletion(now: Date, limit: number): Promise<ErasedTopicRecord[]> {
    return this.topics
      .find({ closed: true, deleted: { $ne: true }, gaveUp: { $ne: true }, $or: [{ retryDeleteAt: null }, { retryDeleteAt: { $lte: now } }] })
      .sort({ retryDeleteAt: 1, _id: 1 })
      .limit(limit)
      .lean<ErasedTopicRecord[]>();
  }

  /** Telegram refused the deletion: the topic is told and closed instead, and asked again at `retryAt`. */
  async markRefused(key: TopicKey, retryAt: Date): Promise<void> {
    await this.topics.updateOne(key, { $set: { deleteRefused: true, retryDeleteAt: retryAt } });
  }

  /** Refused again: asked again at `retryAt` (`since`: the first refusal in a former group, kept once). */
  async retryDeletionAt(key: TopicKey, retryAt: Date, since?: Date): Promise<void> {
    await this.topics.updateOne(key, { $set: { retryDeleteAt: retryAt, deleteRefused: true, ...(since ? { refusedSince: since } : {}) } });
  }

  /** A topic in a former group Telegram refused to delete for long enough: not asked again. */
  async giveUp(key: TopicKey): Promise<void> {
    await this.topics.updateOne(key, { $set: { gaveUp: true } });
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
  async mark(key: TopicKey, done: 'told' | 'closed' | 'deleted', at = new Date()): Promise<void> {
    const set = done === 'deleted' ? { deleted: true, closed: true, deletedAt: at } : { [done]: true };
    await this.topics.updateOne(key, { $set: set });
  }
}
