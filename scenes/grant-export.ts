import type { Reply } from '../src/telegram/types.js';
import type { SceneDef, StepContext } from '../src/engine/types.js';
import { csvMessages, grantCsvRows } from '../src/services/grant-export.js';

export const GRANT_EXPORT_SCENE = 'grant-export';

/**
 * The CSV in the chat, each message a complete table with its header row. Chosen over a file
 * on the server: no copy of personal data is left on disk, and staff need nothing but the chat.
 * Every export is in the audit log, with whether it was masked.
 */
export async function grantExportReplies(ctx: StepContext, masked: boolean): Promise<Reply[]> {
  const { grants } = ctx.deps.services;
  const records = await grants.all();
  const messages = csvMessages(grantCsvRows(records, grants, masked));
  await grants.recordExport(ctx.meta.userId, records.length, masked);
  const intro = ctx.t(masked ? 'grant:export.masked' : 'grant:export.full', { count: records.length, messages: messages.length });
  return [{ kind: 'text', text: intro }, ...messages.map((text): Reply => ({ kind: 'text', text }))];
}

/** Admins may have names, IINs and phones in full, but only when they ask for it: masked is first. */
export const grantExportScene: SceneDef = {
  id: GRANT_EXPORT_SCENE,
  version: 1,
  namespace: 'grant',
  titleKey: 'grant:export.title',
  inactivitySeconds: 10 * 60,
  roles: ['admin'],
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
    // Checked again at the moment of export: personal data in full goes to admins only.
    const masked = answers.mode !== 'full' || (await ctx.role()) !== 'admin';
    return { replies: await grantExportReplies(ctx, masked) };
  },
};
