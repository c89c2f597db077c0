import type { AgeGroup } from './centre-kinds.js';
import type { RegionKey } from '../../domain/regions.js';

/** What the citizen is looking for: "help" is the kind of help, in the words of the question. */
export const HELP_KINDS = ['rehabilitation', 'day-care', 'home-based', 'residential', 'temporary', 'professional', 'sport'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

/** Professional rehabilitation and employment help is for adults only. */
export const ADULT_ONLY_HELP: readonly HelpKind[] = ['professional'];

export type SearchPlace = { type: 'region'; region: RegionKey } | { type: 'point'; latitude: number; longitude: number };

export interface CentreSearch {
  who: AgeGroup;
  help: HelpKind;
  where: SearchPlace;
}

/** The Mongo filter for the kind of help: a kind of organisation, or a setting of services. */
export function helpFilter(help: HelpKind): Record<string, unknown> {
  switch (help) {
    case 'rehabilitation':
      return { kind: 'rehabilitation' };
    case 'professional':
      return { kind: 'professional-rehabilitation' };
    case 'sport':
      return { kind: 'sport' };
    case 'day-care':
      return { settings: 'day-care' };
    case 'home-based':
      return { settings: 'home-based' };
    case 'residential':
      return { settings: 'residential' };
    case 'temporary':
      return { settings: 'temporary' };
  }
}
