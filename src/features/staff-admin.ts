import type { Feature, HandlerContext } from '../app/types.js';
import { formatKzDateTime } from '../domain/kz-time.js';
import { INVITE_PREFIX } from '../services/staff.js';
import { staffManageScene } from '../../scenes/staff-manage.js';

async function createInvite(ctx: HandlerContext): Promise<void> {
  const { token, expiresAt } = await ctx.deps.services.staff.createInvite(ctx.meta.userId);
  const link = `https://t.me/${ctx.deps.botUsername ?? 'komek_bot'}?start=${INVITE_PREFIX}${token}`;
  ctx.reply({ kind: 'text', text: ctx.t('staff:invite.created', { link, until: formatKzDateTime(expiresAt, ctx.locale) }) });
  await ctx.showMenu();
}

async function redeem(ctx: HandlerContext, token: string): Promise<void> {
  const result = /^[\w-]{10,60}$/.test(token)
    ? await ctx.deps.services.staff.redeemInvite(token, ctx.meta.userId, ctx.meta.chatId, ctx.locale)
    : 'invalid';
  ctx.reply({ kind: 'text', text: ctx.t(`staff:invite.${result}`) });
  await ctx.showMenu();
}

/** Admins (ADMIN_IDS) invite staff with one-time links, list them and revoke them. */
export const staffAdminFeature: Feature = {
  id: 'staff-admin',
  scenes: [staffManageScene],
  staffMenu: [
    { id: 'staff-invite', labelKey: 'staff:menu.invite', order: 900, roles: ['admin'], run: createInvite },
    { id: 'staff-list', labelKey: 'staff:menu.list', order: 910, roles: ['admin'], scene: 'staff-manage' },
  ],
  deepLinks: [{ prefix: INVITE_PREFIX, run: redeem }],
};
