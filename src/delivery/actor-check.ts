import type { Redis } from 'ioredis';
import { allows } from '../app/access.js';
import type { Services } from '../services/index.js';
import { deliveryKeys } from './keys.js';
import type { DeliveryGuard, DeliveryJob, DeliveryKind, WithheldHandler } from './types.js';

/** As long as a job's outcome is remembered (delivery-worker's done marker). */
const WITHHELD_AUDIT_TTL_S = 7 * 24 * 3600;

export interface ActorCheckDeps {
  services: Pick<Services, 'access' | 'audit'>;
  redis: Pick<Redis, 'exists' | 'set' | 'del'>;
  prefix: string;
  /** Per kind, what the feature does with a withheld job (e.g. asks another reviewer to confirm). */
  withheld?: Partial<Record<DeliveryKind, WithheldHandler>>;
}

/**
 * A message that carries a staff member's action (a grant decision, a mission invitation, an
 * operator's answer) goes out only if that member still holds the permission, and the region or
 * topic, when it is sent. Revocations often answer misconduct: whatever such a member decided
 * between the decision and the send must not reach a citizen in the state's name unchecked.
 * A withheld job is audited as `notice.withheld` (actor, kind, permission, target; no text) and
 * handed to the feature. Jobs without `actedBy` pass.
 */
export function actorCheck(deps: ActorCheckDeps): DeliveryGuard {
  const keys = deliveryKeys(deps.prefix);
  return async (job: DeliveryJob) => {
    const act = job.actedBy;
    if (!act) return true;
    const scope = { ...(act.region ? { region: act.region } : {}), ...(act.topic ? { topic: act.topic } : {}) };
    if (allows(await deps.services.access.get(act.userId), act.permission, scope)) return true;
    // A job run again after it was sent (a worker killed before BullMQ heard of it) changes nothing.
    if ((await deps.redis.exists(keys.done(job.id))) === 1) return false;
    // The feature's mark first: it can be written twice harmlessly, the audit line cannot, so it
    // is claimed once (a retry after a failed outcome write finds the claim). A failure of either
    // (the database away) fails the job, which is tried again, never sent.
    await deps.withheld?.[job.kind]?.(job);
    const claim = keys.withheldAudited(job.id);
    if ((await deps.redis.set(claim, '1', 'EX', WITHHELD_AUDIT_TTL_S, 'NX')) !== 'OK') return false;
    try {
      await deps.services.audit.record(act.userId, 'notice.withheld', job.ref ?? `delivery:${job.kind}`, {
        kind: job.kind,
        permission: act.permission,
        ...scope,
      });
    } catch (error) {
      await deps.redis.del(claim);
      throw error;
    }
    return false;
  };
}

/** Each kind's guard, then the actor check: nothing is withheld (or marked) that would not go anyway. */
export function withActorCheck(guards: Record<DeliveryKind, DeliveryGuard>, check: DeliveryGuard): Record<DeliveryKind, DeliveryGuard> {
  const entries = Object.entries(guards) as Array<[DeliveryKind, DeliveryGuard]>;
  return Object.fromEntries(entries.map(([kind, guard]) => [kind, async (job: DeliveryJob) => (await guard(job)) && check(job)])) as Record<DeliveryKind, DeliveryGuard>;
}
