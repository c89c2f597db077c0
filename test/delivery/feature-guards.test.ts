// The delivery worker asks the features, not a list of its own, whether a job is still wanted:
// every kind has a guard, the ones a feature registers are the ones used, and two features
// cannot both claim a kind.
import { describe, expect, it } from 'vitest';
import type { Feature } from '../../src/app/types.js';
import type { Services } from '../../src/services/index.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { deliveryGuards } from '../../src/delivery/bot-worker.js';
import { FEATURES } from '../../src/features/index.js';

const job = (kind: DeliveryJob['kind']): DeliveryJob => ({ id: `j-${kind}`, chatId: 1, kind, text: 'x', ref: 'mission/ffffffffffffffffffffffff/1' });

/** Services that answer "wanted" per check, and count who was asked. */
function recordingServices(answers: { base: boolean; mission: boolean; inquiry?: boolean }) {
  const asked: string[] = [];
  const services = {
    broadcasts: { deliveryWanted: async () => (asked.push('base'), answers.base) },
    missions: { isDeliveryWanted: async () => (asked.push('mission'), answers.mission) },
    inquiries: { stillFor: async () => (asked.push('inquiry'), answers.inquiry ?? true) },
    broadcastAuthority: { stillAllowed: async () => (asked.push('author'), true) },
  } as unknown as Services;
  return { services, asked };
}

describe('delivery guards registered by features', () => {
  it('cover every kind; mission messages ask the missions service, inquiry answers go while their question is there', async () => {
    const { services, asked } = recordingServices({ base: true, mission: false, inquiry: false });
    const guards = deliveryGuards(services);
    expect(Object.keys(guards).sort()).toEqual(['broadcast', 'grant-status', 'inquiry-relay', 'mission-invite', 'mission-notice', 'mission-reminder', 'notice']);
    expect(await guards['mission-invite'](job('mission-invite'))).toBe(false);
    expect(asked).toEqual(['base', 'mission']);
    asked.length = 0;
    expect(await guards['grant-status'](job('grant-status'))).toBe(true);
    expect(await guards.notice(job('notice'))).toBe(true);
    expect(asked).toEqual(['base', 'base']);
    asked.length = 0;
    // Not the base check: a blocked citizen's answer is still tried (the 403 tells the operator).
    expect(await guards['inquiry-relay']({ ...job('inquiry-relay'), ref: 'Q-2026-000001' })).toBe(false);
    expect(asked).toEqual(['inquiry']);
    asked.length = 0;
    expect(await guards.broadcast({ ...job('broadcast'), broadcastId: 'b1' })).toBe(true);
    expect(asked).toEqual(['author', 'base']);
  });

  it('use the base check for a kind no feature names, and refuse two features claiming one kind', async () => {
    const { services } = recordingServices({ base: false, mission: true });
    const none = deliveryGuards(services, []);
    expect(await none['mission-invite'](job('mission-invite'))).toBe(false);
    const claims: Feature = { id: 'x', delivery: { guards: () => ({ notice: async () => true }) } };
    expect(() => deliveryGuards(services, [...FEATURES, claims, { ...claims, id: 'y' }])).toThrow(/notice/);
  });
});
