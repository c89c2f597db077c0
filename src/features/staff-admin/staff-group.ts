import type { Logger } from '../../logger.js';
import type { ApiCaller } from '../../telegram/api-caller.js';

/** The staff group and a way to reach Telegram; either may be missing (no group configured, a console without a token). */
export interface StaffGroupLink {
  chatId?: number;
  api?: ApiCaller;
  logger: Logger;
  /** ADMIN_IDS: administrators whatever their staff record says, so never taken out of the group. */
  adminIds: readonly number[];
}

/**
 * How long the admin's answer waits for Telegram: the access is withdrawn already, and a Telegram
 * that does not answer would otherwise hold the admin's chat for the client's own limit (minutes);
 * given up, the admin is asked to remove the member by hand.
 */
const TELEGRAM_WAIT_MS = 10_000;

export type GroupRemoval = 'removed' | 'failed' | 'no-group' | 'admin';

/**
 * Takes a member whose staff access was withdrawn out of the staff group, where every citizen's
 * question is posted in full: group membership is for the people who may read them all
 * (docs/inquiries.md). Banned, so an old invite link of the group does not let them back in; a
 * new staff invitation redeemed lifts the ban (`letBackIntoStaffGroup`). 'failed' when the bot
 * may not ban there (it needs that admin right): the admin is asked to remove them by hand.
 */
export async function removeFromStaffGroup(link: StaffGroupLink, userId: number): Promise<GroupRemoval> {
  if (!link.chatId || !link.api) return 'no-group';
  // A member made an administrator in the settings after being invited keeps every right when
  // the staff record goes, and needs the group's questions as before.
  if (link.adminIds.includes(userId)) return 'admin';
  try {
    await link.api.call('banChatMember', { chat_id: link.chatId, user_id: userId, revoke_messages: false }, AbortSignal.timeout(TELEGRAM_WAIT_MS));
    return 'removed';
  } catch (err) {
    link.logger.warn({ err, userId }, 'could not remove a member whose staff access was withdrawn from the staff group');
    return 'failed';
  }
}

/** Staff again (a new invitation redeemed): a ban from an earlier withdrawal no longer keeps them out of the group. */
export async function letBackIntoStaffGroup(link: Omit<StaffGroupLink, 'adminIds'>, userId: number): Promise<void> {
  if (!link.chatId || !link.api) return;
  await link.api
    .call('unbanChatMember', { chat_id: link.chatId, user_id: userId, only_if_banned: true }, AbortSignal.timeout(TELEGRAM_WAIT_MS))
    .catch((err: unknown) => link.logger.warn({ err, userId }, 'could not lift the staff group ban of a member invited again'));
}
