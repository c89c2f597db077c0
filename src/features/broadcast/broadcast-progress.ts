import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { I18n, Translate } from '../../i18n/index.js';
import type { ApiCaller } from '../../telegram/api-caller.js';
import type { InlineButton } from '../../telegram/types.js';
import type { DeliveryOutcome } from '../../delivery/types.js';
import { deliveryKeys } from '../../delivery/keys.js';
import type { BroadcastsService } from './broadcasts.service.js';
import type { BroadcastDoc } from './broadcast.model.js';
import { broadcastCallbacks } from './callbacks.js';
import { figuresOf, processed, progressBar, type BroadcastFigures } from './broadcast-render.js';
import { inlineMarkup } from '../../telegram/inline-markup.js';

/** Claims outlive any broadcast's sending by far. */
const CLAIM_TTL_S = 30 * 24 * 3600;

/** Sent / failed / blocked / skipped / left, one per line: easy to hear with a screen reader. */
export function figureLines(t: Translate, f: BroadcastFigures): string {
  return t('broadcast:figures', { sent: f.sent, failed: f.failed, blocked: f.blocked, skipped: f.skipped, remaining: Math.max(0, f.total - processed(f)), total: f.total });
}

export function progressText(t: Translate, doc: BroadcastDoc, ratePerSecond: number, now: Date): string {
  const f = figuresOf(doc);
  const done = processed(f);
  const { bar, percent } = progressBar(done, f.total);
  const remaining = Math.max(0, f.total - done);
  // The measured pace once there is enough to measure, the configured one before that.
  const elapsed = doc.startedAt ? (now.getTime() - new Date(doc.startedAt).getTime()) / 1000 : 0;
  const pace = done >= 20 && elapsed > 1 ? done / elapsed : ratePerSecond;
  const minutes = Math.ceil(remaining / pace / 60);
  const eta = remaining === 0 ? '' : remaining / pace < 60 ? t('broadcast:progress.eta-soon') : t('broadcast:progress.eta', { count: minutes });
  return [t('broadcast:progress.title'), `${bar}`, t('broadcast:progress.percent', { count: percent }), figureLines(t, f), eta].filter(Boolean).join('\n');
}

export function reportText(t: Translate, doc: BroadcastDoc): string {
  const f = figuresOf(doc);
  const key = doc.status === 'cancelled' ? 'broadcast:report.cancelled' : 'broadcast:report.done';
  return `${t(key)}\n${figureLines(t, f)}`;
}

export function cancelButtons(t: Translate, id: string): InlineButton[][] {
  return [[{ text: t('broadcast:progress.cancel'), data: broadcastCallbacks.encode.cancel({ broadcastId: id }) }]];
}

export interface BroadcastProgressOptions {
  api: ApiCaller;
  broadcasts: BroadcastsService;
  i18n: I18n;
  redis: Redis;
  prefix: string;
  ratePerSecond: number;
  logger: Logger;
  /** At most one edit per broadcast this often, across all workers (Telegram limits edits too). */
  intervalMs?: number;
  /** A broadcast whose queueing has not moved for this long is taken to be abandoned and resumed. */
  enqueueStaleMs?: number;
  now?: () => Date;
}

/** Counts each outcome and keeps the staff's progress message up to date, then reports once. */
export class BroadcastProgress {
  constructor(private readonly o: BroadcastProgressOptions) {}

  async onOutcome(broadcastId: string, outcome: DeliveryOutcome): Promise<void> {
    const keys = deliveryKeys(this.o.prefix);
    if (outcome.totals) {
      // The exact counts live in Redis; the record is brought up to date at most once a second
      // (and at the very end), so MongoDB sees a write per second, not one per message.
      const done = Object.values(outcome.totals).reduce((a, b) => a + b, 0);
      const total = await this.totalOf(broadcastId);
      const last = total !== undefined && done >= total;
      if (!last) {
        // Most outcomes write nothing; asking Redis only twice a second per process spares a
        // round trip per message (1,000 a second at paid broadcasts' rate).
        const now = Date.now();
        if (now - (this.lastAsked.get(broadcastId) ?? 0) < 500) return;
        if (this.lastAsked.size > 1000) this.lastAsked.clear();
        this.lastAsked.set(broadcastId, now);
        if ((await this.o.redis.set(keys.progressWrite(broadcastId), '1', 'PX', 1000, 'NX')) !== 'OK') return;
      }
    }
    const result = await this.o.broadcasts.recordOutcome(broadcastId, outcome);
    if (!result) return;
    if (result.finished) return this.finish(result.doc);
    if (result.doc.status !== 'sending') return;
    const turn = await this.o.redis.set(keys.progress(broadcastId), '1', 'PX', this.o.intervalMs ?? 2000, 'NX');
    if (turn === 'OK') await this.show(result.doc);
  }

  /** When this process last asked for the turn to write a broadcast's counts. */
  private readonly lastAsked = new Map<string, number>();

  /** A broadcast's total, for good once its fan-out has finished (until then it may still change). */
  private readonly totals = new Map<string, { total: number; final: boolean; at: number }>();

  private async totalOf(id: string): Promise<number | undefined> {
    const known = this.totals.get(id);
    if (known && (known.final || Date.now() - known.at < 1000)) return known.total;
    const doc = await this.o.broadcasts.get(id);
    if (!doc) return undefined;
    if (this.totals.size > 1000) this.totals.clear();
    const total = doc.total ?? 0;
    this.totals.set(id, { total, final: !doc.enqueue || doc.enqueue.done === true, at: Date.now() });
    return total;
  }

  /**
   * Writes the Redis counts of every running broadcast to its record. Normally each outcome does
   * that; this catches the last outcome of a worker that died between Redis and MongoDB.
   */
  async reconcile(): Promise<void> {
    const keys = deliveryKeys(this.o.prefix);
    const staleMs = this.o.enqueueStaleMs ?? 60_000;
    // Before the counts: a resumed broadcast may have a new total, and the loop below then sees
    // whether it is already complete. The Redis claim keeps two workers from resuming it at once.
    await this.o.broadcasts.resumeStalled(staleMs, async (id) => {
      this.totals.delete(id);
      return (await this.o.redis.set(keys.enqueueClaim(id), '1', 'PX', staleMs, 'NX')) === 'OK';
    });
    for (const doc of await this.o.broadcasts.sending()) await this.settle(String(doc._id));
  }

  /**
   * Run when a broadcast's fan-out is over: the last outcome of a small broadcast often comes
   * before queueing is marked done, and could not finish it then. Only one being sent: counting
   * would start a scheduled one.
   */
  async afterFanOut(id: string): Promise<void> {
    if ((await this.o.broadcasts.get(id))?.status === 'sending') await this.settle(id);
  }

  /** Writes one broadcast's Redis counts to its record and finishes it if every recipient is served. */
  private async settle(id: string): Promise<void> {
    const raw = await this.o.redis.hgetall(deliveryKeys(this.o.prefix).broadcastCounts(id));
    const totals = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    const result = await this.o.broadcasts.recordOutcome(id, { status: 'sent', totals });
    if (result?.finished) await this.finish(result.doc);
  }

  private t(doc: BroadcastDoc): Translate {
    return this.o.i18n.t(doc.staffLocale);
  }

  private async call(method: string, payload: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.o.api.call(method, payload);
    } catch (err) {
      // "Message is not modified" and a staff member who left are not worth failing a delivery over.
      this.o.logger.warn({ err, method }, 'broadcast progress message failed');
      return undefined;
    }
  }

  private markup(buttons: InlineButton[][]): Record<string, unknown> {
    return inlineMarkup(buttons);
  }

  async show(doc: BroadcastDoc): Promise<void> {
    const id = String(doc._id);
    const t = this.t(doc);
    const text = progressText(t, doc, this.o.ratePerSecond, this.o.now?.() ?? new Date());
    const reply_markup = this.markup(cancelButtons(t, id));
    if (doc.progressMessageId) {
      await this.call('editMessageText', { chat_id: doc.staffChatId, message_id: doc.progressMessageId, text, reply_markup });
      return;
    }
    // Redis decides who sends it: a conditional update would do on MongoDB, but FerretDB lets two
    // processes both win one, and two progress messages would confuse the staff.
    if (!(await this.claim(deliveryKeys(this.o.prefix).progressClaim(id)))) return;
    const sent = (await this.call('sendMessage', { chat_id: doc.staffChatId, text, reply_markup })) as { message_id?: number } | undefined;
    if (!sent?.message_id) return;
    await this.o.broadcasts.setProgressMessage(id, sent.message_id);
    // It may have finished (or been cancelled) while this message was on its way; then the final
    // report missed it, so it must not keep a Cancel button.
    const latest = await this.o.broadcasts.get(id);
    if (latest && latest.status !== 'sending' && latest.status !== 'scheduled') {
      await this.call('editMessageText', { chat_id: doc.staffChatId, message_id: sent.message_id, text: reportText(t, latest), reply_markup: { inline_keyboard: [] } });
    }
  }

  /** True for the first caller only, across every worker on this Redis. */
  private async claim(key: string): Promise<boolean> {
    return (await this.o.redis.set(key, '1', 'EX', CLAIM_TTL_S, 'NX')) === 'OK';
  }

  async finish(doc: BroadcastDoc): Promise<void> {
    // MongoDB lets one worker win the switch to 'done'; FerretDB across processes may let two,
    // so the report and its audit entry are claimed in Redis as well.
    if (!(await this.claim(deliveryKeys(this.o.prefix).finished(String(doc._id))))) return;
    await this.o.broadcasts.recordFinished(doc);
    const t = this.t(doc);
    const report = reportText(t, doc);
    if (doc.progressMessageId) {
      await this.call('editMessageText', { chat_id: doc.staffChatId, message_id: doc.progressMessageId, text: report, reply_markup: { inline_keyboard: [] } });
    }
    // A new message as well, so the staff member gets a notification that it is over.
    await this.call('sendMessage', { chat_id: doc.staffChatId, text: report });
  }
}
