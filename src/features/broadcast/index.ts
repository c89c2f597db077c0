import type { Feature, HandlerContext } from '../../app/types.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import { allows, regionsFor } from '../../app/access.js';
import { broadcastComposeScene } from '../../../scenes/broadcast/compose.js';
import { figureLines, reportText } from './broadcast-progress.js';
import { broadcastCallbacks } from './callbacks.js';
import { broadcastDelivery } from './delivery.js';
import { figuresOf, snippet, textFor } from './broadcast-render.js';
import { backfillAudienceBuckets } from './audience-buckets.js';

async function showHistory(ctx: HandlerContext): Promise<void> {
  const regions = regionsFor(await ctx.access(), 'broadcasts.send');
  const list = await ctx.deps.services.broadcasts.recent(10, regions === null ? undefined : { regions, userId: ctx.meta.userId });
  if (list.length === 0) {
    ctx.reply({ kind: 'text', text: ctx.t('broadcast:history.empty') });
  } else {
    const items = list.map((b) =>
      ctx.t('broadcast:history.item', {
        date: formatKzDateTime(new Date(b.sendAt), ctx.locale),
        status: ctx.t(`broadcast:status.${b.status}`),
        text: snippet(textFor(b.texts, b.fallback, ctx.locale)),
        figures: figureLines(ctx.t, figuresOf(b)),
      }),
    );
    ctx.reply({ kind: 'text', text: `${ctx.t('broadcast:history.title')}\n\n${items.join('\n\n')}` });
  }
  await ctx.showMenu();
}

/**
 * Stopping is limited like writing: the author always may (their own message), anyone else only
 * within their regions ("every region" needs a broadcaster without a region limit). The button
 * can be made by hand, and broadcast ids are guessable from one's own.
 */
async function mayStop(ctx: HandlerContext, broadcastId: string): Promise<boolean> {
  const doc = await ctx.deps.services.broadcasts.get(broadcastId);
  if (!doc || doc.createdBy === ctx.meta.userId) return true;
  return allows(await ctx.access(), 'broadcasts.send', { region: doc.audience?.region ?? 'any' });
}

/** The Cancel button under a progress message or a scheduled announcement. */
async function cancel(ctx: HandlerContext, rest: string, messageId: number | undefined): Promise<void> {
  const tapped = broadcastCallbacks.decode(rest);
  if (!tapped) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
    return;
  }
  if (!(await mayStop(ctx, tapped.broadcastId))) {
    await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'broadcasts.send', `broadcast:${tapped.broadcastId}`, { button: 'cancel' });
    ctx.reply({ kind: 'toast', text: ctx.t('errors:access-withdrawn') });
    return;
  }
  const doc = await ctx.deps.services.broadcasts.cancel(tapped.broadcastId, ctx.meta.userId);
  if (!doc) {
    ctx.reply({ kind: 'toast', text: ctx.t('broadcast:cancel.too-late') });
    return;
  }
  ctx.reply({ kind: 'toast', text: ctx.t('broadcast:cancel.done') });
  const report = reportText(ctx.t, doc);
  if (messageId !== undefined) ctx.reply({ kind: 'edit', messageId, text: report });
  else ctx.reply({ kind: 'text', text: report });
}

/** Staff announcements: compose (with previews, audience and schedule), progress, cancel, history. */
export const broadcastFeature: Feature = {
  id: 'broadcast',
  // Records from before audience buckets: without one, a user would get no announcements.
  startUp: [{ name: 'audience buckets', run: backfillAudienceBuckets }],
  scenes: [broadcastComposeScene],
  staffMenu: [
    { id: 'broadcast-compose', labelKey: 'broadcast:menu.compose', order: 400, permission: 'broadcasts.send', scene: 'broadcast-compose' },
    { id: 'broadcast-history', labelKey: 'broadcast:menu.history', order: 410, permission: 'broadcasts.send', run: showHistory },
  ],
  callbacks: [{ prefix: broadcastCallbacks.prefix, permission: 'broadcasts.send', run: cancel }],
  delivery: broadcastDelivery,
  // A broadcast stopped at send time whose author a crash left untold.
  repairs: [
    { name: 'withdrawn broadcasts', run: (deps) => deps.services.broadcastAuthority.finishWithdrawals() },
    { name: 'broadcast cancellations cut short', run: (deps) => deps.services.broadcasts.finishCancellations() },
  ],
};
