import type { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/models/counter.js';
import { withheldModel, type WithheldKind, type WithheldModel } from './mission-withheld.model.js';

/** Stands for a volunteer who deleted their data: no Telegram id is 0, so it matches nobody. */
export const ERASED = 0;

/** The volunteers whose messages wait for another coordinator, per mission, kind and mark. */
export class MissionWithheld {
  readonly model: WithheldModel;

  constructor(connection: Connection) {
    this.model = withheldModel(connection);
  }

  async keep(missionId: Types.ObjectId, kind: WithheldKind, mark: string, userId: number): Promise<void> {
    try {
      await this.model.updateOne({ missionId, kind, mark, userId }, { $setOnInsert: { missionId, kind, mark, userId } }, { upsert: true });
    } catch (error) {
      // Kept by another worker at the same moment.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * "Delete my data": no record keeps the volunteer's id. A held invitation is simply dropped (only
   * those listed are invited). A cancellation's list is kept non-empty, since an empty list means
   * "written before lists were kept: tell everyone" and would tell again those told already: the
   * id becomes ERASED (one such entry per list is enough).
   */
  async forget(userId: number): Promise<void> {
    await this.model.deleteMany({ userId, kind: 'invite' });
    for (const entry of await this.model.find({ userId, kind: 'cancel' }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()) {
      try {
        await this.model.updateOne({ _id: entry._id }, { $set: { userId: ERASED } });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await this.model.deleteOne({ _id: entry._id });
      }
    }
  }

  async userIds(missionId: Types.ObjectId, kind: WithheldKind, mark: string): Promise<number[]> {
    const found = await this.model.find({ missionId, kind, mark }, { userId: 1 }).lean<Array<{ userId: number }>>();
    return [...new Set(found.map((h) => h.userId))];
  }
}
