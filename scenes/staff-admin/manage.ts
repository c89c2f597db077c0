import { z } from 'zod';
import type { ChoiceOption, StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { formatKzDate } from '../../src/domain/kz-time.js';
import { accessOfRecord } from '../../src/services/access.js';
import { STAFF_ROLES, type Access } from '../../src/app/access.js';
import { accessText, regionScope, regionsStep, roleOptions, scopeOf, topicScope, topicsStep } from './options.js';
import { removeFromStaffGroup } from '../../src/features/staff-admin/staff-group.js';

/**
 * Admins see the staff with their roles and regions, change a role, the regions or (operators)
 * the topics, or withdraw access. Every change is audited by the staff service.
 */

const answers = z.object({
  /** The member's Telegram id, as the option's text value. */
  member: z.string().regex(/^\d+$/),
  action: z.enum(['role', 'regions', 'topics', 'revoke', 'close']),
  role: z.enum(STAFF_ROLES).optional(),
  regions: regionScope.optional(),
  topics: topicScope.optional(),
  confirm: z.enum(['yes', 'no']).optional(),
});
type Answers = Partial<z.output<typeof answers>>;

const memberOf = (a: Answers) => Number(a.member);

async function currentAccess(ctx: StepContext, a: Answers): Promise<Access | null> {
  return ctx.deps.services.staff.accessOf(memberOf(a));
}

export const staffManageScene = defineScene(answers, {
  id: 'staff-manage',
  version: 2,
  namespace: 'staff',
  titleKey: 'staff:manage.title',
  inactivitySeconds: 15 * 60,
  permission: 'staff.manage',
  async enter(ctx) {
    const staff = await ctx.deps.services.staff.list();
    if (staff.length === 0) return { refuse: [{ kind: 'text', text: ctx.t('staff:manage.empty') }] };
    return { answers: {} };
  },
  steps: [
    {
      id: 'member',
      kind: 'choice',
      prompt: 'staff:manage.pick',
      // The full lines (role, regions, since when) go in the text; the buttons carry the number.
      promptParams: async (_answers, ctx) => {
        const staff = await ctx.deps.services.staff.list();
        const list = staff
          .map((member, index) => {
            const access = accessOfRecord(member);
            const line = ctx.t('staff:manage.line', {
              id: member.telegramId,
              since: member.staffSince ? formatKzDate(new Date(member.staffSince), ctx.locale) : '—',
              access: access ? accessText(ctx, access) : '—',
            });
            return `${index + 1}. ${line}`;
          })
          .join('\n');
        return { count: staff.length, list };
      },
      options: async (_answers, ctx) =>
        (await ctx.deps.services.staff.list()).map((member) => ({
          value: String(member.telegramId),
          label: ctx.t('staff:manage.member', { id: member.telegramId }),
          // The list shows the ids: an admin types the one they read.
          aliases: [String(member.telegramId)],
        })),
    },
    {
      id: 'action',
      kind: 'choice',
      prompt: 'staff:manage.action-prompt',
      async promptParams(a, ctx) {
        const access = await currentAccess(ctx, a);
        return { id: memberOf(a), access: access ? accessText(ctx, access) : '—' };
      },
      async options(a, ctx) {
        const access = await currentAccess(ctx, a);
        const options: ChoiceOption[] = [{ value: 'role', labelKey: 'staff:manage.change-role' }];
        if (access && !access.roles.includes('admin')) options.push({ value: 'regions', labelKey: 'staff:manage.change-regions' });
        if (access?.roles.includes('operator')) options.push({ value: 'topics', labelKey: 'staff:manage.change-topics' });
        options.push({ value: 'revoke', labelKey: 'staff:manage.revoke' }, { value: 'close', labelKey: 'staff:manage.close' });
        return options;
      },
    },
    { id: 'role', kind: 'choice', prompt: 'staff:manage.role-prompt', when: (a) => a.action === 'role', options: roleOptions },
    regionsStep('staff:manage.regions-prompt', (a) => a.action === 'regions'),
    topicsStep('staff:manage.topics-prompt', (a) => a.action === 'topics'),
    {
      id: 'confirm',
      kind: 'choice',
      prompt: 'staff:manage.confirm',
      when: (a) => a.action === 'revoke',
      promptParams: (answers) => ({ id: answers.member }),
      options: [
        { value: 'yes', labelKey: 'staff:manage.revoke-yes' },
        { value: 'no', labelKey: 'staff:manage.revoke-no' },
      ],
    },
  ],
  async complete(answers, ctx) {
    const { staff } = ctx.deps.services;
    const id = memberOf(answers);
    const say = (key: string, params: Record<string, unknown> = {}) => ({ replies: [{ kind: 'text' as const, text: ctx.t(key, { id, ...params }) }] });
    if (answers.action === 'close') return say('staff:manage.kept');
    if (answers.action === 'revoke') {
      if (answers.confirm !== 'yes') return say('staff:manage.kept');
      const revoked = await staff.revoke(ctx.meta.userId, id);
      // Not staff already: withdrawn by another admin, or by this very tap's first try, which the
      // mailbox runs again after a failure past the withdrawal (the audit write): out of the group
      // all the same, unless this admin may no longer manage staff.
      const gone = revoked || ((await staff.mayManage(ctx.meta.userId)) && !(await staff.accessOf(id)));
      if (!gone) return say('staff:manage.not-staff');
      const { STAFF_CHAT_ID: chatId, ADMIN_IDS: adminIds } = ctx.deps.config;
      const group = await removeFromStaffGroup({ chatId, api: ctx.deps.telegram, logger: ctx.deps.logger, adminIds }, id);
      const said = ctx.t(revoked ? 'staff:manage.revoked' : 'staff:manage.not-staff', { id });
      return { replies: [{ kind: 'text' as const, text: group === 'no-group' ? said : `${said}\n\n${ctx.t(`staff:manage.group-${group}`, { id })}` }] };
    }
    const before = await staff.accessOf(id);
    if (!before) return say('staff:manage.not-staff');
    // Another admin may have changed the member while this one was choosing.
    const fits = answers.action === 'topics' ? before.roles.includes('operator') : answers.action === 'regions' ? !before.roles.includes('admin') : true;
    if (!fits) return say('staff:manage.overtaken', { access: accessText(ctx, before) });
    let next: Access = before;
    if (answers.action === 'role' && answers.role) {
      // A new role keeps the member's regions; admins have none.
      next = answers.role === 'admin' ? { roles: ['admin'], regions: null, topics: null } : { roles: [answers.role], regions: before.regions, topics: answers.role === 'operator' ? before.topics : null };
    }
    if (answers.action === 'regions') next = { ...before, regions: scopeOf(answers.regions) };
    if (answers.action === 'topics') next = { ...before, topics: scopeOf(answers.topics) };
    const result = await staff.changeAccess(ctx.meta.userId, id, next);
    if (result === 'denied') return { replies: [{ kind: 'text', text: ctx.t('errors:access-withdrawn') }] };
    if (result === 'not-staff') return say('staff:manage.not-staff');
    return say('staff:manage.changed', { access: accessText(ctx, next) });
  },
});
