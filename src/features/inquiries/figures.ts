import type { HandlerContext } from '../../app/types.js';
import type { Reply } from '../../telegram/types.js';
import { readFunnel } from './funnel.js';
import { FIGURE_PERIODS, iq } from './callbacks.js';
import { regionLabel } from './texts.js';

const count = <T>(items: T[], key: (item: T) => string): Array<[string, number]> => {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(key(item), (totals.get(key(item)) ?? 0) + 1);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
};

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function figuresPeriodPrompt(ctx: HandlerContext): Reply {
  return {
    kind: 'text',
    text: ctx.t('inquiries:figures.period'),
    buttons: [FIGURE_PERIODS.map((days) => ({ text: ctx.t('inquiries:figures.days', { count: days }), data: iq.figures(days) }))],
  };
}

/**
 * Staff → Figures for questions: inquiries by topic, region and language, the median time to a
 * first answer, knowledge base vs person, the questions nothing answered, and per scene how many
 * reached each step and finished (counters only).
 */
export async function figuresReplies(ctx: HandlerContext, days: number): Promise<Reply[]> {
  const now = ctx.deps.now();
  const from = new Date(now.getTime() - days * 86_400_000);
  const { inquiries, faq } = ctx.deps.services;
  const items = await inquiries.inPeriod(from);
  const t = ctx.t;
  const answeredMinutes = items
    .filter((i) => i.firstAnsweredAt)
    .map((i) => (new Date(i.firstAnsweredAt!).getTime() - new Date(i.createdAt).getTime()) / 60_000);
  const med = median(answeredMinutes);
  const logs = await faq.logModel().find({ at: { $gte: from } }, { entryIds: 1, helped: 1, asked: 1, missText: 1, at: 1 }).sort({ at: -1 }).limit(5000).lean();
  const answeredByKb = logs.filter((l) => (l.entryIds?.length ?? 0) > 0).length;
  const helped = logs.filter((l) => l.helped).length;
  const byPerson = items.length;
  const kbShare = helped + byPerson > 0 ? Math.round((helped * 100) / (helped + byPerson)) : 0;
  const misses = logs.filter((l) => l.missText).slice(0, 10).map((l) => `  • ${l.missText}`);

  const lines = [
    t('inquiries:figures.title', { count: days }),
    '',
    t('inquiries:figures.total', { count: items.length }),
    t('inquiries:figures.by-topic'),
    ...count(items, (i) => t(`inquiries:topic.${i.topic}`)).map(([k, n]) => `  ${k}: ${n}`),
    t('inquiries:figures.by-region'),
    ...count(items, (i) => regionLabel(ctx, i.region)).slice(0, 20).map(([k, n]) => `  ${k}: ${n}`),
    t('inquiries:figures.by-language'),
    ...count(items, (i) => t(`inquiries:language.${i.locale}`)).map(([k, n]) => `  ${k}: ${n}`),
    med === null ? t('inquiries:figures.no-answers-yet') : t('inquiries:figures.median', { count: Math.round(med) }),
    '',
    t('inquiries:figures.kb', { lookups: logs.length, answered: answeredByKb, helped, person: byPerson, share: kbShare }),
    t('inquiries:figures.misses', { count: misses.length }),
    ...misses,
  ];

  const funnel = await readFunnel(ctx.deps.redis, ctx.deps.config.REDIS_PREFIX, now, days);
  const scenes = [...new Set(funnel.map((r) => r.scene))].sort();
  const funnelLines = [t('inquiries:figures.funnel')];
  for (const scene of scenes) {
    funnelLines.push('', scene);
    const rows = funnel.filter((r) => r.scene === scene);
    // Steps in the order people reach them: a later step is reached by no more people than an
    // earlier one (Back aside), so most-reached first reads as the path; "finished" closes it.
    const reached = new Map<string, number>();
    for (const r of rows) reached.set(r.step, (reached.get(r.step) ?? 0) + r.count);
    const steps = [...reached.keys()].sort((a, b) => (a === 'finished' ? 1 : b === 'finished' ? -1 : reached.get(b)! - reached.get(a)!));
    for (const step of steps) {
      const perLocale = rows.filter((r) => r.step === step).map((r) => `${r.locale} ${r.count}`).join(', ');
      funnelLines.push(`  ${step === 'finished' ? t('inquiries:figures.finished') : step}: ${perLocale}`);
    }
  }
  if (scenes.length === 0) funnelLines.push(t('inquiries:figures.funnel-empty'));
  return [
    { kind: 'text', text: lines.join('\n').slice(0, 4000) },
    { kind: 'text', text: funnelLines.join('\n').slice(0, 4000) },
  ];
}
