import type { Feature, HandlerContext } from '../../app/types.js';
import { regionKeysByName, regionName } from '../../domain/regions.js';
import { CENTRE_KINDS } from './centre-kinds.js';
import { rehabSearchScene } from '../../../scenes/rehab/search.js';
import { rehabResultsScene } from '../../../scenes/rehab/results.js';

/** Staff see how full the directory is, per region and per kind, and whether it is still the sample. */
async function showFigures(ctx: HandlerContext): Promise<void> {
  const figures = await ctx.deps.services.centres.figures();
  if (figures.total === 0) {
    ctx.reply({ kind: 'text', text: ctx.t('rehab:staff.empty') });
    return ctx.showMenu();
  }
  const byRegion = new Map(figures.byRegion.map((r) => [r.region, r.count]));
  const byKind = new Map(figures.byKind.map((k) => [k.kind, k.count]));
  const regions = regionKeysByName(ctx.locale).map((key) => ctx.t('rehab:staff.line', { name: regionName(key, ctx.locale), count: byRegion.get(key) ?? 0 }));
  const kinds = CENTRE_KINDS.map((kind) => ctx.t('rehab:staff.line', { name: ctx.t(`rehab:kind.${kind}`), count: byKind.get(kind) ?? 0 }));
  let text = ctx.t('rehab:staff.figures', { total: figures.total, samples: figures.samples, regions: regions.join('\n'), kinds: kinds.join('\n') });
  if (figures.samples > 0) text += `\n\n${ctx.t('rehab:staff.sample-note')}`;
  ctx.reply({ kind: 'text', text });
  await ctx.showMenu();
}

/**
 * Finding centres and services for people with disabilities. The search keeps its criteria and
 * the order of the centres it found (ids) in the session, not personal data, so there is no
 * "My data" section.
 */
export const rehabFeature: Feature = {
  id: 'rehab',
  scenes: [rehabSearchScene, rehabResultsScene],
  menu: [{ id: 'rehab', labelKey: 'rehab:menu.find', order: 10, scene: 'rehab-search' }],
  staffMenu: [{ id: 'rehab-figures', labelKey: 'rehab:staff.stats', order: 110, roles: ['staff'], run: showFigures }],
};
