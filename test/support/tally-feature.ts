import type { Feature } from '../../src/app/types.js';

import type { HandlerContext } from '../../src/app/types.js';

async function tally(ctx: HandlerContext, rest: string): Promise<void> {
  const list = Array.isArray(ctx.session.data?.tally) ? (ctx.session.data.tally as number[]) : [];
  // A tiny pause widens the window in which a second process could interleave.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  ctx.session.data = { ...ctx.session.data, tally: [...list, Number(rest)] };
  ctx.reply({ kind: 'text', text: `tally ${rest}` });
}

/**
 * A feature for pipeline tests: each `tally:<n>` button press appends n to the session, so
 * after a storm of updates the session shows whether any write was lost or applied twice.
 * `tallydb:<n>` also reads the user's record in the database first, as most real inputs do
 * (the role check), for outage benchmarks.
 */
export const tallyFeature: Feature = {
  id: 'tally',
  callbacks: [
    { prefix: 'tally', run: (ctx, rest) => tally(ctx, rest) },
    {
      prefix: 'tallydb',
      async run(ctx, rest) {
        await ctx.deps.services.users.isStaff(ctx.meta.userId);
        await tally(ctx, rest);
      },
    },
  ],
};
