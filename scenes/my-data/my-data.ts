import { z } from 'zod';
import type { PersonalDataSection } from '../../src/app/types.js';
import type { SceneContext } from '../../src/engine/context.js';
import { defineScene, type Scene } from '../../src/engine/scene.js';

const answers = z.object({
  action: z.enum(['delete', 'announcements-on', 'announcements-off']),
  confirm: z.enum(['yes', 'no']).optional(),
});

/**
 * "My data": everything the bot holds about the user in plain words, with a way to delete it
 * (after a confirmation) and to turn announcements off or on.
 */
export function myDataScene(sections: PersonalDataSection[]): Scene {
  async function describeAll(ctx: SceneContext): Promise<string> {
    const lines: string[] = [];
    for (const section of sections) lines.push(...(await section.describe(ctx)));
    return lines.length ? lines.join('\n') : ctx.t('common:mydata.nothing');
  }

  return defineScene(answers, {
    id: 'my-data',
    version: 1,
    namespace: 'common',
    titleKey: 'common:mydata.title',
    inactivitySeconds: 15 * 60,
    steps: [
      {
        id: 'action',
        kind: 'choice',
        prompt: 'common:mydata.overview',
        promptParams: async (_answers, ctx) => ({ details: await describeAll(ctx) }),
        options: async (_answers, ctx) => {
          const user = await ctx.deps.services.users.get(ctx.meta.userId);
          return [
            { value: 'delete', labelKey: 'common:mydata.delete' },
            user?.announcements === false
              ? { value: 'announcements-on', labelKey: 'common:mydata.announcements-on' }
              : { value: 'announcements-off', labelKey: 'common:mydata.announcements-off' },
          ];
        },
      },
      {
        id: 'confirm',
        kind: 'choice',
        prompt: 'common:mydata.confirm-delete',
        when: (answers) => answers.action === 'delete',
        options: [
          { value: 'yes', labelKey: 'common:mydata.delete-yes' },
          { value: 'no', labelKey: 'common:mydata.delete-no' },
        ],
      },
    ],
    async complete(answers, ctx) {
      const { users } = ctx.deps.services;
      if (answers.action === 'announcements-on' || answers.action === 'announcements-off') {
        const on = answers.action === 'announcements-on';
        await users.setAnnouncements(ctx.meta.userId, on);
        return { replies: [{ kind: 'text', text: ctx.t(on ? 'common:mydata.announcements-now-on' : 'common:mydata.announcements-now-off') }] };
      }
      if (answers.confirm !== 'yes') return { replies: [{ kind: 'text', text: ctx.t('common:mydata.kept') }] };
      const kept: string[] = [];
      const notDeleted: string[] = [];
      for (const section of sections) {
        const report = await section.erase(ctx);
        kept.push(...report.keptByLaw);
        notDeleted.push(...report.notDeleted);
      }
      // After the sections (whose erasure may itself cancel jobs): every message to the person
      // the queue still holds, sent or waiting, goes too. Idempotent, like the rest, if a
      // failure makes the person confirm again.
      await ctx.deps.delivery.forgetChat?.(ctx.meta.chatId);
      await users.erase(ctx.meta.userId);
      const text = [
        ctx.t('common:mydata.deleted'),
        ...(kept.length ? [`${ctx.t('common:mydata.kept-by-law')}\n${kept.join('\n')}`] : []),
        ...(notDeleted.length ? [`${ctx.t('common:mydata.not-deleted')}\n${notDeleted.join('\n')}`] : []),
      ].join('\n\n');
      // The pipeline deletes the session instead of saving it; the next message starts afresh.
      return { replies: [{ kind: 'text', text }], showMenu: false, eraseSession: true };
    },
  });
}
