import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { formatKzDateTime } from '../../src/domain/kz-time.js';
import { INVITE_PREFIX } from '../../src/features/staff-admin/staff.service.js';
import { STAFF_ROLES } from '../../src/app/access.js';
import { accessText, regionScope, regionsStep, roleOptions, scopeOf, topicScope, topicsStep } from './options.js';
import { accessOfInvite } from '../../src/features/staff-admin/staff.service.js';

/** An admin makes a one-time invite link carrying a role and, optionally, the regions it covers. */
const answers = z.object({ role: z.enum(STAFF_ROLES), regions: regionScope.optional(), topics: topicScope.optional() });

export const staffInviteScene = defineScene(answers, {
  id: 'staff-invite',
  version: 1,
  namespace: 'staff',
  titleKey: 'staff:invite.title',
  inactivitySeconds: 15 * 60,
  permission: 'staff.manage',
  steps: [
    { id: 'role', kind: 'choice', prompt: 'staff:invite.role-prompt', summaryKey: 'staff:invite.role-summary', options: roleOptions },
    // Admins are never limited to regions.
    regionsStep('staff:invite.regions-prompt', (a) => a.role !== 'admin', 'staff:invite.regions-summary'),
    topicsStep('staff:invite.topics-prompt', (a) => a.role === 'operator', 'staff:invite.topics-summary'),
  ],
  async complete(answers, ctx) {
    const { role } = answers;
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
});
