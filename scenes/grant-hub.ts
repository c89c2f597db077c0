import type { SceneDef } from '../src/engine/types.js';
import { myApplicationsReplies } from '../src/services/grant-texts.js';

/** "Family business support": a small choice that leads on to the right place. */
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
      options: [
        { value: 'eligibility', labelKey: 'grant:hub.eligibility' },
        { value: 'apply', labelKey: 'grant:hub.apply' },
        { value: 'mine', labelKey: 'grant:hub.mine' },
      ],
    },
  ],
  async complete(answers, ctx) {
    if (answers.choice === 'eligibility') {
      await ctx.startScene('grant-eligibility');
      return { replies: [], showMenu: false };
    }
    if (answers.choice === 'apply') {
      await ctx.startScene('grant-application');
      return { replies: [], showMenu: false };
    }
    const records = await ctx.deps.services.grants.listForUser(ctx.meta.userId);
    return { replies: myApplicationsReplies(ctx.t, ctx.locale, records) };
  },
};
