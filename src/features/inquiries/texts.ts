import type { HandlerContext } from '../../app/types.js';
import { citizenWords } from './citizen-line.js';
import type { InlineButton, Reply } from '../../telegram/types.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import { isRegionKey, regionName } from '../../domain/regions.js';
import { iq } from './callbacks.js';
import type { FaqHit } from './faq-search.js';
import type { Inquiry } from './inquiries.service.js';
import type { Translate } from '../../i18n/index.js';

/** Scenes an answer may offer; their button label comes from the scene's own menu text. */
const SCENE_LABELS: Record<string, string> = {
  'rehab-search': 'inquiries:open.rehab-search',
  'volunteer-signup': 'inquiries:open.volunteer-signup',
  'grant-eligibility': 'inquiries:open.grant-eligibility',
  'grant-application': 'inquiries:open.grant-application',
  'grant-hub': 'inquiries:open.grant-hub',
  'my-data': 'inquiries:open.my-data',
};

export const sceneLabelKey = (scene: string): string | undefined => SCENE_LABELS[scene];

/** The one to three entries, each short, in the user's language, with links and scene buttons. */
export function faqAnswer(ctx: HandlerContext, hits: FaqHit[], logId: string | undefined): Reply {
  // A hit comes from the index of the user's language, so the entry has a text in it.
  const blocks = hits.flatMap((hit, i) => {
    const text = hit.entry[ctx.locale];
    if (!text) return [];
    const lines = [`${hits.length > 1 ? `${i + 1}. ` : ''}${text.q}`, text.a];
    if (hit.entry.url) lines.push(ctx.t('inquiries:faq.link', { url: hit.entry.url }));
    if (hit.entry.sample) lines.push(ctx.t('inquiries:faq.sample'));
    return [lines.join('\n')];
  });
  const buttons: InlineButton[][] = [];
  for (const hit of hits) {
    const label = hit.entry.scene ? sceneLabelKey(hit.entry.scene) : undefined;
    if (hit.entry.scene && label && !buttons.some((row) => row[0]?.data === iq.go(hit.entry.scene!))) {
      buttons.push([{ text: ctx.t(label), data: iq.go(hit.entry.scene) }]);
    }
  }
  if (logId) buttons.push(...faqFeedbackButtons(ctx.t, logId));
  const intro = ctx.t(hits.length > 1 ? 'inquiries:faq.intro-many' : 'inquiries:faq.intro-one');
  const outro = logId ? `\n\n${ctx.t('inquiries:faq.outro')}` : '';
  return { kind: 'text', text: `${intro}\n\n${blocks.join('\n\n')}${outro}`, buttons };
}

/**
 * "This helped" and "Ask a person" under an answer from the knowledge base, one row each: side
 * by side leaves 16 characters a button on a small phone, and «Спросить сотрудника» would be cut.
 */
export function faqFeedbackButtons(t: Translate, logId: string): InlineButton[][] {
  return [[{ text: t('inquiries:faq.helped'), data: iq.helped(logId) }], [{ text: t('inquiries:faq.ask-person'), data: iq.askAbout(logId) }]];
}

export function regionLabel(ctx: HandlerContext, region: string | undefined | null): string {
  return region && isRegionKey(region) ? regionName(region, ctx.locale) : ctx.t('inquiries:staff.region-unknown');
}

/** "My questions": number, topic, status and the conversation so far. */
export function myQuestions(ctx: HandlerContext, items: Inquiry[]): Reply[] {
  if (items.length === 0) return [{ kind: 'text', text: ctx.t('inquiries:mine.none') }];
  const { inquiries } = ctx.deps.services;
  return items.slice(0, 10).map((inquiry) => {
    const lines = [
      ctx.t('inquiries:mine.item', {
        ref: inquiry.ref,
        topic: ctx.t(`inquiries:topic.${inquiry.topic}`),
        date: formatKzDateTime(new Date(inquiry.createdAt), ctx.locale),
        status: ctx.t(`inquiries:status.${inquiry.status}`),
      }),
      // A withheld operator message never reached the person: not shown here either.
      ...inquiries.messages(inquiry).filter((m) => !m.withheld).slice(-6).map((m) => conversationLine(ctx, m.from, m.text, m.media)),
    ];
    const buttons: InlineButton[][] = inquiry.status === 'closed' ? [] : [[{ text: ctx.t('inquiries:mine.close'), data: iq.staff('close', inquiry.ref) }]];
    return { kind: 'text', text: lines.join('\n'), ...(buttons.length ? { buttons } : {}) };
  });
}

export function conversationLine(ctx: HandlerContext, from: 'citizen' | 'operator', text: string | undefined, media: string | undefined, forStaff = false): string {
  const who = ctx.t(from === 'operator' ? 'inquiries:mine.operator' : forStaff ? 'inquiries:queue.citizen' : 'inquiries:mine.you');
  const body = [media ? ctx.t(`inquiries:media.${media}`) : '', text ?? ''].filter(Boolean).join(' ');
  return `  ${who}: ${body}`;
}

/** The operator's queue in the Staff menu: by topic, oldest first, with how long each waits. */
/** The status for staff: a closed question whose person has not been told says so. */
function statusLabel(ctx: HandlerContext, inquiry: Pick<Inquiry, 'status' | 'closeNotice'>): string {
  return ctx.t(inquiry.status === 'closed' && inquiry.closeNotice ? 'inquiries:status.closed-untold' : `inquiries:status.${inquiry.status}`);
}

export function queueReply(ctx: HandlerContext, items: Array<Omit<Inquiry, 'messages'>>): Reply {
  if (items.length === 0) return { kind: 'text', text: ctx.t('inquiries:queue.empty') };
  const now = ctx.deps.now().getTime();
  const shown = items.slice(0, 20);
  const lines = shown.map((i, n) =>
    ctx.t('inquiries:queue.item', {
      n: n + 1,
      ref: i.ref,
      topic: ctx.t(`inquiries:topic.${i.topic}`),
      region: regionLabel(ctx, i.region),
      status: statusLabel(ctx, i),
      minutes: Math.max(0, Math.round((now - new Date(i.createdAt).getTime()) / 60_000)),
    }),
  );
  return {
    kind: 'text',
    text: `${ctx.t('inquiries:queue.title', { count: items.length })}\n\n${lines.join('\n')}\n\n${ctx.t('inquiries:queue.hint')}`,
    buttons: shown.map((i, n) => [{ text: `${n + 1}. ${i.ref}`, data: iq.staff('view', i.ref) }]),
  };
}

/** The last messages of a question shown to staff in the Staff menu (its attachments copied after them). */
export const STAFF_VIEW_MESSAGES = 12;

export function inquiryForStaff(ctx: HandlerContext, inquiry: Inquiry): Reply {
  const messages = ctx.deps.services.inquiries.messages(inquiry).slice(-STAFF_VIEW_MESSAGES);
  const head = ctx.t('inquiries:queue.view', {
    ref: inquiry.ref,
    topic: ctx.t(`inquiries:topic.${inquiry.topic}`),
    region: regionLabel(ctx, inquiry.region),
    language: ctx.t(`inquiries:language.${inquiry.locale}`),
    status: statusLabel(ctx, inquiry),
  });
  // A forwarded message says so, and from whom, as in the staff group's topic (numbers not hidden here).
  const line = (m: (typeof messages)[number]) => (m.from === 'citizen' && m.forwarded ? citizenWords(ctx.t, m) : conversationLine(ctx, m.from, m.text, m.media, true).trim());
  const lines = messages.map((m) => `${formatKzDateTime(new Date(m.at), ctx.locale)} ${line(m)}`);
  const buttons: InlineButton[][] = [];
  if (inquiry.status !== 'closed') {
    buttons.push([{ text: ctx.t('inquiries:queue.reply'), data: iq.staff('reply', inquiry.ref) }, { text: ctx.t('inquiries:staff.close'), data: iq.staff('close', inquiry.ref) }]);
  }
  // Closed, but the closing operator's notice was withheld: another operator tells the person.
  if (inquiry.status === 'closed' && inquiry.closeNotice && inquiry.closeNotice.by !== ctx.meta.userId) {
    buttons.push([{ text: ctx.t('inquiries:staff.tell'), data: iq.staff('tell', inquiry.ref) }]);
  }
  if (inquiry.firstAnsweredAt) buttons.push([{ text: ctx.t('inquiries:queue.make-entry'), data: iq.staff('faq', inquiry.ref) }]);
  return { kind: 'text', text: `${head}\n\n${lines.join('\n')}`.slice(0, 4000), buttons };
}
