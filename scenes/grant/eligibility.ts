import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { FAMILY_GROUPS } from '../../src/features/grant/programmes.js';
import { formatTenge } from '../../src/domain/money.js';
import { certificateMaxAgeYears, eligibleProgrammes, maxMci, mciFor, programmes } from '../../src/features/grant/programmes.js';
import { familyGroupOptions, loanLimits, NONE_GROUP, realGroups } from './options.js';
import { GRANT_APPLICATION_SCENE } from './application.js';

export const GRANT_ELIGIBILITY_SCENE = 'grant-eligibility';

/** What support fits this family, with amounts from the current MCI, and what they need for it. */
export function eligibilityDetails(ctx: StepContext, groups: string[]): string {
  const { year, mci } = mciFor(ctx.deps.now());
  const kinds = eligibleProgrammes(groups);
  const lines = [ctx.t('grant:eligibility.fits')];
  if (kinds.includes('grant')) {
    const count = maxMci('grant', undefined);
    // The certificate's age is a count of its own ("1 года", "3 лет"): its sentence has its own plural forms.
    const certificate = ctx.t('grant:certificateYear.required', { count: certificateMaxAgeYears('grant') });
    lines.push(ctx.t('grant:eligibility.grant', { amount: formatTenge(count * mci, ctx.locale), count, certificate }));
  }
  if (kinds.includes('microloan')) lines.push(ctx.t('grant:eligibility.microloan', loanLimits(ctx, mci)));
  if (groups.includes('large-family')) lines.push(ctx.t('grant:eligibility.large-family', { count: programmes().largeFamilyMinChildren }));
  lines.push(ctx.t('grant:eligibility.mci', { year, mci: formatTenge(mci, ctx.locale) }));
  lines.push(ctx.t('grant:eligibility.how'));
  return lines.join('\n\n');
}

const answers = z.object({
  group: z.array(z.enum([...FAMILY_GROUPS, NONE_GROUP])),
  next: z.enum(['apply', 'menu']).optional(),
});

export const grantEligibilityScene = defineScene(answers, {
  id: GRANT_ELIGIBILITY_SCENE,
  version: 1,
  namespace: 'grant',
  titleKey: 'grant:eligibility.title',
  inactivitySeconds: 30 * 60,
  steps: [
    {
      id: 'group',
      kind: 'choice',
      prompt: 'grant:group.prompt',
      options: familyGroupOptions,
      multi: { min: 1 },
    },
    {
      id: 'next',
      kind: 'choice',
      prompt: 'grant:eligibility.result',
      when: (answers) => eligibleProgrammes(realGroups(answers.group)).length > 0,
      promptParams: (answers, ctx) => ({ details: eligibilityDetails(ctx, realGroups(answers.group)) }),
      options: [
        { value: 'apply', labelKey: 'grant:eligibility.apply' },
        { value: 'menu', labelKey: 'common:nav.menu' },
      ],
    },
  ],
  async complete(answers, ctx) {
    if (eligibleProgrammes(realGroups(answers.group)).length === 0) {
      return { replies: [{ kind: 'text', text: ctx.t('grant:eligibility.none') }] };
    }
    if (answers.next === 'apply') return { replies: [], next: { scene: GRANT_APPLICATION_SCENE } };
    return { replies: [] };
  },
});
