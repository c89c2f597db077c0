import type { Reply } from '../../src/telegram/types.js';
import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { csvFile, grantCsvRows } from '../../src/features/grant/grant-export.js';
import { kzDateParts } from '../../src/domain/kz-time.js';
import { regionsFor } from '../../src/app/access.js';

export const GRANT_EXPORT_SCENE = 'grant-export';

/**
 * The CSV as a file sent in the chat: built in memory and never written to the server's disk,
 * so no copy of personal data is left behind. Every export is in the audit log, with whether
 * it was masked.
 */
export async function grantExportReplies(ctx: StepContext, masked: boolean): Promise<Reply[]> {
  const { grants } = ctx.deps.services;
  // A reviewer for some regions exports only those regions' applications.
  const regions = regionsFor(await ctx.access(), 'grants.export');
  const records = regions !== null && regions.length === 0 ? [] : await grants.all(regions);
  const content = csvFile(grantCsvRows(records, grants, masked));
  await grants.recordExport(ctx.meta.userId, records.length, masked, regions);
  const { year, month, day } = kzDateParts(ctx.deps.now());
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const caption = ctx.t(masked ? 'grant:export.masked' : 'grant:export.full', { count: records.length });
  return [{ kind: 'document', filename: `komek-applications-${date}${masked ? '-masked' : ''}.csv`, content, caption }];
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
    // Checked again at the moment of export: personal data in full goes to admins only.
    const masked = answers.mode !== 'full' || (await ctx.role()) !== 'admin';
    return { replies: await grantExportReplies(ctx, masked) };
  },
});
