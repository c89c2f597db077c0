import type { ChoiceOption, SceneDef } from '../../src/engine/types.js';
import { myApplicationsReplies } from '../../src/features/grant/grant-texts.js';

const ANSWER = 'answer>';

/**
 * "Family business support": a small choice that leads on to the right place. An application
 * waiting for the applicant's answer is offered first, so answering the staff does not depend
 * on finding the notice's button again.
 */
export const grantHubScene: SceneDef = {
  id: 'grant-hub',
  version: 1,
  namespace: 'grant',
  titleKey: 'grant:hub.title',
  inactivitySeconds: 30 * 60,
  steps: [
    {
      id: 'choice',
      kind: 'choice',
      prompt: 'grant:hub.prompt',
      async options(_answers, ctx): Promise<ChoiceOption[]> {
        const waiting = (await ctx.deps.services.grants.listForUser(ctx.meta.userId)).filter((r) => r.status === 'more-info');
        return [
          ...waiting.map((r) => ({ value: `${ANSWER}${r.ref}`, label: ctx.t('grant:hub.answer', { ref: r.ref }) })),
          { value: 'eligibility', labelKey: 'grant:hub.eligibility' },
          { value: 'apply', labelKey: 'grant:hub.apply' },
          { value: 'mine', labelKey: 'grant:hub.mine' },
        ];
      },
    },
  ],
  async complete(answers, ctx) {
    const choice = String(answers.choice);
    if (choice.startsWith(ANSWER)) {
      await ctx.startScene('grant-more-info', { ref: choice.slice(ANSWER.length) });
      return { replies: [], showMenu: false };
    }
    if (choice === 'eligibility' || choice === 'apply') {
      await ctx.startScene(choice === 'apply' ? 'grant-application' : 'grant-eligibility');
      return { replies: [], showMenu: false };
    }
    const records = await ctx.deps.services.grants.listForUser(ctx.meta.userId);
    return { replies: myApplicationsReplies(ctx.t, ctx.locale, records) };
  },
};
