import type { Feature } from '../../src/app/types.js';

/**
 * A feature for pipeline tests: each `tally:<n>` button press appends n to the session, so
 * after a storm of updates the session shows whether any write was lost or applied twice.
 */
export const tallyFeature: Feature = {
  id: 'tally',
  callbacks: [
    {
      prefix: 'tally',
      async run(ctx, rest) {
        const tally = Array.isArray(ctx.session.data?.tally) ? (ctx.session.data.tally as number[]) : [];
        // A tiny pause widens the window in which a second process could interleave.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        ctx.session.data = { ...ctx.session.data, tally: [...tally, Number(rest)] };
        ctx.reply({ kind: 'text', text: `tally ${rest}` });
      },
    },
  ],
};
