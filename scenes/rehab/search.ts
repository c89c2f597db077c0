import type { ChoiceOption, LocationAnswer, SceneDef } from '../../src/engine/types.js';
import { ADULT_ONLY_HELP, HELP_KINDS, type CentreSearch, type HelpKind } from '../../src/features/rehab/centres-search.js';
import { isRegionKey } from '../../src/domain/regions.js';
import { saveSearch } from './render.js';

/** Kinds of help on offer: professional rehabilitation and employment only for adults. */
function helpOptions(who: unknown): ChoiceOption[] {
  return HELP_KINDS.filter((help) => who === 'adults' || !ADULT_ONLY_HELP.includes(help)).map((help) => ({
    value: help,
    labelKey: `rehab:help.${help}`,
  }));
}

/**
 * Where, who, what kind of help. Where comes first so the location keyboard is gone before
 * the list appears, and the list is the last thing on screen.
 */
export const rehabSearchScene: SceneDef = {
  id: 'rehab-search',
  version: 1,
  namespace: 'rehab',
  titleKey: 'rehab:search.title',
  inactivitySeconds: 30 * 60,
  steps: [
    { id: 'where', kind: 'location', prompt: 'rehab:where.prompt', allowRegion: true },
    {
      id: 'who',
      kind: 'choice',
      prompt: 'rehab:who.prompt',
      options: [
        { value: 'children', labelKey: 'rehab:who.children' },
        { value: 'adults', labelKey: 'rehab:who.adults' },
      ],
    },
    { id: 'help', kind: 'choice', prompt: 'rehab:help.prompt', options: (answers) => helpOptions(answers.who) },
  ],
  async complete(answers, ctx) {
    const where = answers.where as LocationAnswer;
    const help = answers.help as HelpKind;
    const who = answers.who === 'adults' ? 'adults' : 'children';
    if (!where) return { replies: [] };
    const search: CentreSearch = {
      who,
      // A child's answer cannot keep an adults-only kind (Back to "who" after choosing it).
      help: who === 'children' && ADULT_ONLY_HELP.includes(help) ? 'rehabilitation' : help,
      where:
        where.type === 'region' && isRegionKey(where.region)
          ? { type: 'region', region: where.region }
          : where.type === 'point'
            ? { type: 'point', latitude: where.latitude, longitude: where.longitude }
            : { type: 'region', region: 'astana' },
    };
    saveSearch(ctx, search);
    await ctx.startScene('rehab-results', { page: 0 });
    return { replies: [], showMenu: false };
  },
};
