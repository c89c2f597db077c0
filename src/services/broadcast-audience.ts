import type { Services } from './index.js';
import type { AudienceGroup } from '../db/models/broadcast.js';

type IdSource = { activeUserIds?: () => Promise<number[]>; applicantUserIds?: () => Promise<number[]> };

/**
 * The Telegram ids of a group, or undefined for everyone. The volunteer and grant services grow
 * these methods in their own issues; until then the group is simply empty rather than a crash.
 */
export async function groupUserIds(services: Services, group: AudienceGroup): Promise<number[] | undefined> {
  if (group === 'all') return undefined;
  if (group === 'volunteers') {
    const source = services.volunteers as unknown as IdSource;
    return typeof source.activeUserIds === 'function' ? source.activeUserIds() : [];
  }
  const source = services.grants as unknown as IdSource;
  return typeof source.applicantUserIds === 'function' ? source.applicantUserIds() : [];
}
