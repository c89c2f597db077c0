import type { Feature, HandlerContext } from '../../app/types.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import { broadcastComposeScene } from '../../../scenes/broadcast/compose.js';
import { figureLines, reportText } from './broadcast-progress.js';
import { broadcastCallbacks } from './callbacks.js';
import { broadcastDelivery } from './delivery.js';
import { figuresOf, snippet, textFor } from './broadcast-render.js';
import { backfillAudienceBuckets } from './audience-buckets.js';

async function showHistory(ctx: HandlerContext): Promise<void> {
  const list = await ctx.deps.services.broadcasts.recent(10);
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

/** The Cancel button under a progress message or a scheduled announcement. */
async function cancel(ctx: HandlerContext, rest: string, messageId: number | undefined): Promise<void> {
  const tapped = broadcastCallbacks.decode(rest);
  if (!tapped) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
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
};
