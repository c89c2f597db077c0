import { isDuplicateKey } from '../../db/models/counter.js';
import type { Connection } from 'mongoose';
import { topicMirrorModel, type TopicMirrorModel, type TopicMirrorRecord } from './topic-mirror.model.js';

/** Follow-ups on their way into the staff topic (topic-mirror.model.ts). */
export class TopicMirrors {
  private readonly mirrors: TopicMirrorModel;
  private indexes?: Promise<unknown>;

  constructor(connection: Connection) {
    this.mirrors = topicMirrorModel(connection);
  }

  /**
   * Written before the post. 'posted': a retried update whose message went out already, so it is
   * not posted twice; 'due' otherwise (new, or still waiting from an earlier try).
   */
  async begin(ref: string, messageId: number, at: Date): Promise<'due' | 'posted'> {
    this.indexes ??= this.mirrors.init();
    await this.indexes;
    try {
      await this.mirrors.create({ ref, messageId, at });
      return 'due';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const found = await this.mirrors.findOne({ ref, messageId }, { doneAt: 1 }).lean();
      return found?.doneAt ? 'posted' : 'due';
    }
  }

  async isDue(ref: string, messageId: number): Promise<boolean> {
    return (await this.mirrors.exists({ ref, messageId, doneAt: { $exists: false } })) !== null;
  }

  async done(ref: string, messageId: number, at: Date): Promise<void> {
    await this.mirrors.updateOne({ ref, messageId }, { $set: { doneAt: at } });
  }

  /**
   * Posted by another way than its own (the copy of a moved question's conversation, topic-copy.ts):
   * noted as done, and written so if it was not due yet, so its own try finds it posted.
   */
  async posted(ref: string, messageId: number, at: Date): Promise<void> {
    this.indexes ??= this.mirrors.init();
    await this.indexes;
    const write = () => this.mirrors.updateOne({ ref, messageId }, { $set: { doneAt: at }, $setOnInsert: { at } }, { upsert: true });
    // Two writers of a new record at once: the second finds the first's and marks it.
    await write().catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
      return write();
    });
  }

  /** Follow-ups still due that were written before `before` (one written later may be posting right now). */
  due(before: Date, limit = 100): Promise<TopicMirrorRecord[]> {
    return this.mirrors.find({ doneAt: { $exists: false }, at: { $lt: before } }).sort({ at: 1 }).limit(limit).lean<TopicMirrorRecord[]>();
  }

  /** Forgets posted follow-ups once a retried update of theirs can no longer come (the mailbox keeps nothing that long). */
  async prune(doneBefore: Date): Promise<number> {
    return (await this.mirrors.deleteMany({ doneAt: { $lt: doneBefore } })).deletedCount;
  }

  /** "Delete my data": the questions are gone, and what was on its way with them. */
  async forgetQuestions(refs: readonly string[]): Promise<void> {
    if (refs.length) await this.mirrors.deleteMany({ ref: { $in: [...refs] } });
  }

  async forget(ref: string, messageId: number): Promise<void> {
    await this.mirrors.deleteOne({ ref, messageId });
  }
}
