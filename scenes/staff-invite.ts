import type { SceneDef } from '../src/engine/types.js';
import { formatKzDateTime } from '../src/domain/kz-time.js';
import { INVITE_PREFIX } from '../src/services/staff.js';
import { isStaffRole } from '../src/app/access.js';
import { accessText, regionOptions, regionsText, roleOptions, scopeOf, topicOptions, topicsText } from './staff-options.js';
import { accessOfInvite } from '../src/services/staff.js';

/** An admin makes a one-time invite link carrying a role and, optionally, the regions it covers. */
export const staffInviteScene: SceneDef = {
  id: 'staff-invite',
  version: 1,
  namespace: 'staff',
  titleKey: 'staff:invite.title',
  inactivitySeconds: 15 * 60,
  permission: 'staff.manage',
  steps: [
    { id: 'role', kind: 'choice', prompt: 'staff:invite.role-prompt', summaryKey: 'staff:invite.role-summary', options: roleOptions },
    {
      id: 'regions',
      kind: 'choice',
      prompt: 'staff:invite.regions-prompt',
      summaryKey: 'staff:invite.regions-summary',
      // Admins are never limited to regions.
      when: (a) => a.role !== 'admin',
      multi: { min: 1 },
      columns: 1,
      options: (_a, ctx) => regionOptions(ctx),
      summarize: (value, _a, ctx) => regionsText(ctx, scopeOf(value)),
    },
    {
      id: 'topics',
      kind: 'choice',
      prompt: 'staff:invite.topics-prompt',
      summaryKey: 'staff:invite.topics-summary',
      when: (a) => a.role === 'operator',
      multi: { min: 1 },
      options: topicOptions,
      summarize: (value, _a, ctx) => topicsText(ctx, scopeOf(value)),
    },
  ],
  async complete(answers, ctx) {
    const role = isStaffRole(answers.role) ? answers.role : 'reviewer';
    const spec = { role, regions: scopeOf(answers.regions), topics: scopeOf(answers.topics) };
    const made = await ctx.deps.services.staff.createInvite(ctx.meta.userId, spec);
    if (!made) return { replies: [{ kind: 'text', text: ctx.t('errors:access-withdrawn') }] };
    const link = `https://t.me/${ctx.deps.botUsername ?? 'komek_bot'}?start=${INVITE_PREFIX}${made.token}`;
    return {
      replies: [
        {
          kind: 'text',
          text: ctx.t('staff:invite.created', {
            link,
            until: formatKzDateTime(made.expiresAt, ctx.locale),
            access: accessText(ctx, accessOfInvite(spec)),
          }),
        },
      ],
    };
  },
};
