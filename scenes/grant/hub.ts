import { z } from 'zod';
import type { ChoiceOption } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { GRANT_APPLICATION_SCENE } from './application.js';
import { GRANT_ELIGIBILITY_SCENE } from './eligibility.js';
import { GRANT_MORE_INFO_SCENE } from './more-info.js';
import { myApplicationsReplies } from '../../src/features/grant/grant-texts.js';

const ANSWER = 'answer>';

/**
 * "Family business support": a small choice that leads on to the right place. An application
 * waiting for the applicant's answer is offered first, so answering the staff does not depend
 * on finding the notice's button again.
 */
export const grantHubScene = defineScene(z.object({ choice: z.string() }), {
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
    const { choice } = answers;
    if (choice.startsWith(ANSWER)) return { replies: [], next: { scene: GRANT_MORE_INFO_SCENE, seed: { ref: choice.slice(ANSWER.length) } } };
    if (choice === 'apply') return { replies: [], next: { scene: GRANT_APPLICATION_SCENE } };
    if (choice === 'eligibility') return { replies: [], next: { scene: GRANT_ELIGIBILITY_SCENE } };
    const records = await ctx.deps.services.grants.listForUser(ctx.meta.userId);
    return { replies: myApplicationsReplies(ctx.t, ctx.locale, records) };
  },
});
