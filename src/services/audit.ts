import { auditLogModel, type AuditLogModel, type AuditLogRecord } from '../db/models/audit-log.js';
import type { ServiceDeps } from './service-deps.js';

/** Every staff action is written here: who did what to which record, without personal data. */
export class AuditService {
  private readonly log: AuditLogModel;

  constructor(private readonly deps: ServiceDeps) {
    this.log = auditLogModel(deps.connection);
  }

  async record(actorId: number, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
    await this.log.create({ actorId, action, target, details, at: this.deps.now() });
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
