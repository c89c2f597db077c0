import type { SceneDef } from '../src/engine/types.js';
import { formatKzDate } from '../src/domain/kz-time.js';

/** Admins see the staff list and revoke access; the choice of whom is a normal question. */
export const staffManageScene: SceneDef = {
  id: 'staff-manage',
  version: 1,
  namespace: 'staff',
  titleKey: 'staff:manage.title',
  inactivitySeconds: 15 * 60,
  roles: ['admin'],
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
      promptParams: async (_answers, ctx) => ({ count: (await ctx.deps.services.staff.list()).length }),
      options: async (_answers, ctx) =>
        (await ctx.deps.services.staff.list()).map((member) => ({
          value: String(member.telegramId),
          label: ctx.t('staff:manage.member', {
            id: member.telegramId,
            since: member.staffSince ? formatKzDate(new Date(member.staffSince), ctx.locale) : '—',
          }),
        })),
    },
    {
      id: 'confirm',
      kind: 'choice',
      prompt: 'staff:manage.confirm',
      promptParams: (answers) => ({ id: answers.member }),
      options: [
        { value: 'yes', labelKey: 'staff:manage.revoke-yes' },
        { value: 'no', labelKey: 'staff:manage.revoke-no' },
      ],
    },
  ],
  async complete(answers, ctx) {
    if (answers.confirm !== 'yes') return { replies: [{ kind: 'text', text: ctx.t('staff:manage.kept') }] };
    const revoked = await ctx.deps.services.staff.revoke(ctx.meta.userId, Number(answers.member));
    return { replies: [{ kind: 'text', text: ctx.t(revoked ? 'staff:manage.revoked' : 'staff:manage.not-staff', { id: answers.member }) }] };
  },
};
