import type { Services } from './index.js';
import type { AudienceGroup } from '../db/models/broadcast.js';

/** The Telegram ids of a group, or undefined for everyone. */
export async function groupUserIds(services: Services, group: AudienceGroup): Promise<number[] | undefined> {
  if (group === 'all') return undefined;
  if (group === 'volunteers') return services.volunteers.activeUserIds();
  return services.grants.applicantUserIds();
}
