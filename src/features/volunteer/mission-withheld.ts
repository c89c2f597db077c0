import type { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/models/counter.js';
import { withheldModel, type WithheldKind, type WithheldModel } from './mission-withheld.model.js';

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

  async userIds(missionId: Types.ObjectId, kind: WithheldKind, mark: string): Promise<number[]> {
    const found = await this.model.find({ missionId, kind, mark }, { userId: 1 }).lean<Array<{ userId: number }>>();
    return [...new Set(found.map((h) => h.userId))];
  }
}
