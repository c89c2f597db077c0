import type { Reply } from '../../src/telegram/types.js';
import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';

export const GRANT_EXPORT_SCENE = 'grant-export';

/**
 * Queues the export and answers at once: the file is built and sent by a job
 * (src/features/grant/grant-export-job.ts), which checks the member's access again when it runs, so the
 * update stays short however many applications there are. One export per member at a time.
 */
export async function grantExportReplies(ctx: StepContext, full: boolean): Promise<Reply[]> {
  const queue = ctx.deps.delivery.exportGrants;
  if (!queue) throw new Error('no export queue is configured');
  const outcome = await queue({
    // From the update, so a retried update finds its own job rather than "already in progress".
    requestId: `${ctx.meta.userId}-${ctx.meta.updateId}`,
    userId: ctx.meta.userId,
    chatId: ctx.meta.chatId,
    locale: ctx.locale,
    full,
  });
  return [{ kind: 'text', text: ctx.t(outcome === 'queued' ? 'grant:export.queued' : 'grant:export.in-flight') }];
}

/** Admins may have names, IINs and phones in full, but only when they ask for it: masked is first. */
export const grantExportScene = defineScene(z.object({ mode: z.enum(['masked', 'full']) }), {
  id: GRANT_EXPORT_SCENE,
  version: 1,
  namespace: 'grant',
  titleKey: 'grant:export.title',
  inactivitySeconds: 10 * 60,
  roles: ['admin'],
  permission: 'grants.export',
  steps: [
    {
      id: 'mode',
      kind: 'choice',
      prompt: 'grant:export.mode-prompt',
      options: [
        { value: 'masked', labelKey: 'grant:export.mode-masked' },
        { value: 'full', labelKey: 'grant:export.mode-full' },
      ],
    },
  ],
  async complete(answers, ctx) {
    // Checked here and again when the job runs: personal data in full goes to admins only.
    const full = answers.mode === 'full' && (await ctx.role()) === 'admin';
    return { replies: await grantExportReplies(ctx, full) };
  },
});
