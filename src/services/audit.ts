import { isDuplicateKey } from '../db/models/counter.js';
import { auditLogModel, type AuditLogModel, type AuditLogRecord } from '../db/models/audit-log.js';
import type { ServiceDeps } from './service-deps.js';

/** Every staff action is written here: who did what to which record, without personal data. */
export class AuditService {
  private readonly log: AuditLogModel;
  private indexes?: Promise<unknown>;

  constructor(private readonly deps: ServiceDeps) {
    this.log = auditLogModel(deps.connection);
  }

  /** `onceKey`: see recordOnce, the way to write one. */
  async record(actorId: number, action: string, target?: string, details?: Record<string, unknown>, onceKey?: string): Promise<void> {
    await this.log.create({ actorId, action, target, details, at: this.deps.now(), ...(onceKey === undefined ? {} : { onceKey }) });
  }

  /**
   * Writes the line for the event `onceKey` names unless it is written already: what a repair
   * pass uses to finish a step a crash cut short, as often as it runs and from any number of
   * processes at once. The unique index settles a race (a conditional write cannot on FerretDB).
   * Returns whether this call wrote it.
   */
  async recordOnce(onceKey: string, actorId: number, action: string, target?: string, details?: Record<string, unknown>): Promise<boolean> {
    // Without the index built, two first writers could both succeed.
    this.indexes ??= this.log.init();
    await this.indexes;
    try {
      await this.record(actorId, action, target, details, onceKey);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Whether the line for this event is written. */
  async recorded(onceKey: string): Promise<boolean> {
    return (await this.log.exists({ onceKey })) !== null;
  }

  /**
   * "Delete my data": the lines a person wrote as a citizen (`actions`) keep what happened but no
   * longer say who (actor 0, as for the system). Staff actions are never rewritten: staff stay
   * accountable for what they did, also after leaving.
   */
  async forgetCitizen(userId: number, actions: readonly string[]): Promise<void> {
    await this.log.updateMany({ actorId: userId, action: { $in: [...actions] } }, { $set: { actorId: 0 } });
  }

  async recent(limit = 20, filter: { action?: string; target?: string } = {}): Promise<AuditLogRecord[]> {
    return this.log.find(filter).sort({ at: -1 }).limit(limit).lean<AuditLogRecord[]>();
  }
}
