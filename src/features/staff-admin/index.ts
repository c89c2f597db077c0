import type { Feature, HandlerContext } from '../../app/types.js';
import { INVITE_PREFIX } from './staff.service.js';
import { staffManageScene } from '../../../scenes/staff-admin/manage.js';
import { staffInviteScene } from '../../../scenes/staff-admin/invite.js';
import { accessText } from '../../../scenes/staff-admin/options.js';
import { letBackIntoStaffGroup } from './staff-group.js';

async function redeem(ctx: HandlerContext, token: string): Promise<void> {
  const result = /^[\w-]{10,60}$/.test(token)
    ? await ctx.deps.services.staff.redeemInvite(token, ctx.meta.userId, ctx.meta.chatId, ctx.locale)
    : 'invalid';
  if (result === 'ok') await letBackIntoStaffGroup({ chatId: ctx.deps.config.STAFF_CHAT_ID, api: ctx.deps.telegram, logger: ctx.deps.logger }, ctx.meta.userId);
  // Read fresh: the new member sees exactly what the link gave them.
  const access = result === 'ok' ? await ctx.deps.services.access.get(ctx.meta.userId) : null;
  ctx.reply({ kind: 'text', text: ctx.t(`staff:invite.${result}`, { access: access ? accessText(ctx, access) : '—' }) });
  await ctx.showMenu();
}

/** Admins invite staff with one-time links carrying a role and regions, list them, change and revoke them. */
export const staffAdminFeature: Feature = {
  id: 'staff-admin',
  scenes: [staffManageScene, staffInviteScene],
  staffMenu: [
    { id: 'staff-invite', labelKey: 'staff:menu.invite', order: 900, permission: 'staff.manage', scene: 'staff-invite' },
    { id: 'staff-list', labelKey: 'staff:menu.list', order: 910, permission: 'staff.manage', scene: 'staff-manage' },
  ],
  deepLinks: [{ prefix: INVITE_PREFIX, run: redeem }],
  // A redemption stopped after the access was written: its audit line and the inviter's notice;
  // a withdrawal stopped after the access was written: its audit line.
  repairs: [{ name: 'invite redemptions cut short', run: (deps) => deps.services.staff.finishInterrupted() }],
};
