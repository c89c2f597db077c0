import type { Connection } from 'mongoose';
import { runUntilSettled } from '../../db/models/start-up-pass.js';
import type { StartUpConfig, StartUpLocks } from '../../app/types.js';
import { inquiryModel } from './inquiry.model.js';
import { erasedTopicModel } from './erased-topic.model.js';

/**
 * Start-up: questions (and erased topics) whose topic was noted before its group was kept. Which
 * group were they in? The one configured at the first start of this release that sees them: no
 * earlier release kept the group anywhere, and Telegram cannot be asked which group a thread id
 * belongs to. So a deployment upgrades first and moves to a new group after (docs/inquiries.md,
 * "Moving the staff group"): a move made in the same restart as the upgrade would take the old
 * topics for topics of the new group. A settling pass (start-up-pass.ts): the previous release,
 * still serving during the deploy, notes topics without a group meanwhile, in the same group.
 * Without a staff group configured (the worker may run without one) nothing is decided yet.
 */
export async function recordTopicGroups(connection: Connection, locks: StartUpLocks, config: StartUpConfig = {}): Promise<number> {
  const staffChatId = config.STAFF_CHAT_ID;
  if (!staffChatId) return 0;
  return runUntilSettled(connection, 'inquiry-topic-groups', async () => {
    const inquiries = inquiryModel(connection);
    let changed = 0;
    const refs = await inquiries.find({ threadId: { $exists: true }, staffChatId: { $exists: false } }, { ref: 1 }).lean<Array<{ ref: string }>>();
    for (const { ref } of refs) {
      // Under the record's lock: FerretDB writes an update as the whole document it read.
      const result = await locks.inquiryRecord.run(ref, () =>
        inquiries.updateOne({ ref, threadId: { $exists: true }, staffChatId: { $exists: false } }, { $set: { staffChatId } }),
      );
      changed += result.modifiedCount;
    }
    changed += await fillErasedTopicGroups(connection, staffChatId);
    return changed;
  });
}

/**
 * The erased topics' records: one per topic is now one per group and thread, so the index of the
 * thread alone (from before) goes, once every record names its group, and the model's index on
 * both takes its place.
 */
async function fillErasedTopicGroups(connection: Connection, staffChatId: number): Promise<number> {
  const topics = erasedTopicModel(connection);
  const changed = (await topics.updateMany({ chatId: { $exists: false } }, { $set: { chatId: staffChatId } })).modifiedCount;
  const indexes = await topics.collection.indexes().catch(() => []);
  if (indexes.some((index) => index.name === 'threadId_1')) await topics.collection.dropIndex('threadId_1');
  await topics.createIndexes();
  return changed;
}
