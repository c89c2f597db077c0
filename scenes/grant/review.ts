import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { GRANT_STATUSES, ACTIVE_STATUSES, type GrantStatus } from '../../src/features/grant/grant-status.js';
import { NEEDS_REASON } from '../../src/features/grant/grants.service.js';
import { mayConfirm, movesFor } from '../../src/features/grant/grant-confirmation.js';
import { reviewDetails, reviewListLabel, reviewListLine } from '../../src/features/grant/grant-texts.js';
import { regionChoiceOptions, typedRegion } from '../common/regions.js';
import { regionsFor } from '../../src/app/access.js';

/**
 * Staff review: pick a status and a region, then an application from the list, read it in
 * full and decide. Every choice is a normal question, so typing numbers works as well as taps.
 */

const ALL = 'all';
const ACTIVE = 'active';
const LIST_LIMIT = 30;
/** Telegram's limit is 4096; the progress line and hints need the rest. Longer details go before the question. */
const DETAILS_MAX = 3600;

const answers = z.object({
  status: z.union([z.literal(ACTIVE), z.enum(GRANT_STATUSES)]),
  /** A region key, or ALL. */
  region: z.string(),
  /** The application's reference. */
  application: z.string(),
  /** "close", "confirm><history length>", or a decision "<from>><to>><history length>". */
  action: z.string(),
  comment: z.string().optional(),
});
type Answers = Partial<z.output<typeof answers>>;

/**
 * A reason the applicant must read (a question to answer, why they were turned down) needs
 * words: emoji, dots or question marks alone passed a length check and reached the applicant.
 */
const REASON_LETTERS = 5;
const LETTER = /\p{L}/gu;
const saysSomething = (text: string): boolean => (text.match(LETTER)?.length ?? 0) >= REASON_LETTERS;

const statusesOf = (answers: Answers): GrantStatus[] =>
  answers.status === ACTIVE ? [...ACTIVE_STATUSES] : GRANT_STATUSES.filter((s) => s === answers.status);
const regionOf = (answers: Answers) => (answers.region && answers.region !== ALL ? answers.region : undefined);

/**
 * Decision values carry what staff saw (the status and how long the history was), so a change
 * made meanwhile by someone else, even one that came back to the same status, is caught.
 */
const decisionValue = z.tuple([z.enum(GRANT_STATUSES), z.enum(GRANT_STATUSES), z.coerce.number().int().min(0)]);
const decision = (answers: Answers): { from: GrantStatus; to: GrantStatus; seen: number } | null => {
  const parsed = decisionValue.safeParse((answers.action ?? '').split('>'));
  return parsed.success ? { from: parsed.data[0], to: parsed.data[1], seen: parsed.data[2] } : null;
};

/** "confirm><history length>": standing by a decision whose notice was withheld. */
const confirmation = (answers: Answers): number | null => {
  const parsed = z.tuple([z.literal('confirm'), z.coerce.number().int().min(1)]).safeParse((answers.action ?? '').split('>'));
  return parsed.success ? parsed.data[1] : null;
};

/** The member's review regions, read fresh with their access (null = every region). */
const reviewRegions = async (ctx: StepContext) => regionsFor(await ctx.access(), 'grants.review');

async function listed(answers: Answers, ctx: StepContext) {
  const regions = await reviewRegions(ctx);
  return ctx.deps.services.grants.listForReview({ statuses: statusesOf(answers), region: regionOf(answers), regions }, LIST_LIMIT);
}

/** The whole application as this reviewer may read it (the IIN in full for admins only). */
async function detailsFor(answers: Answers, ctx: StepContext): Promise<string | null> {
  const view = answers.application ? await ctx.deps.services.grants.view(answers.application, (await ctx.role()) === 'admin') : null;
  return view && reviewDetails(ctx.t, ctx.locale, view.record, view.iin, view.phone);
}

export const grantReviewScene = defineScene(answers, {
  id: 'grant-review',
  // 2: decision values carry the history length; a review open across the deploy starts again.
  version: 2,
  namespace: 'grant',
  titleKey: 'grant:review.title',
  inactivitySeconds: 30 * 60,
  permission: 'grants.review',
  // The application's own region once one is picked, else the region chosen: both must stay in
  // the reviewer's regions on every input, or the reviewer is taken out of the review.
  async scope(answers, ctx) {
    if (answers.application) {
      const record = await ctx.deps.services.grants.get(answers.application);
      return record ? { region: String(record.region) } : undefined;
    }
    const region = regionOf(answers);
    return region ? { region } : undefined;
  },
  steps: [
    {
      id: 'status',
      kind: 'choice',
      prompt: 'grant:review.status-prompt',
      options: [
        { value: ACTIVE, labelKey: 'grant:review.active' },
        ...GRANT_STATUSES.map((status) => ({ value: status, labelKey: `grant:status.${status}` })),
      ],
    },
    {
      id: 'region',
      kind: 'choice',
      prompt: 'grant:review.region-prompt',
      columns: 1,
      typed: typedRegion,
      async options(_answers, ctx) {
        const regions = await reviewRegions(ctx);
        const mine = regions === null ? regionChoiceOptions(ctx) : regionChoiceOptions(ctx).filter((o) => regions.includes(o.value));
        return [{ value: ALL, labelKey: regions === null ? 'grant:review.all-regions' : 'grant:review.all-my-regions' }, ...mine];
      },
      async check(value, answers, ctx) {
        const found = await listed({ ...answers, region: String(value) }, ctx);
        return found.length === 0 ? { errorKey: 'grant:review.none' } : { ok: true };
      },
    },
    {
      id: 'application',
      kind: 'choice',
      prompt: 'grant:review.pick',
      promptParams: async (answers, ctx) => {
        const found = await listed(answers, ctx);
        // The full lines go in the text (read out in one go); the buttons carry the reference and amount.
        const list = found.map((record, index) => `${index + 1}. ${reviewListLine(ctx.t, ctx.locale, record)}`).join('\n');
        return { count: found.length, limit: LIST_LIMIT, list };
      },
      options: async (answers, ctx) =>
        (await listed(answers, ctx)).map((record) => ({ value: record.ref, label: reviewListLabel(ctx.t, ctx.locale, record) })),
    },
    {
      id: 'action',
      kind: 'choice',
      prompt: 'grant:review.action-prompt',
      // A question with buttons may be shown by editing a message, which cannot be split: an
      // application too long for it (a long idea, question and answer) goes first, whole, in
      // messages of its own, so the reviewer never decides on a cut-off answer.
      async before(answers, ctx) {
        const details = await detailsFor(answers, ctx);
        return { replies: details && details.length > DETAILS_MAX ? [{ kind: 'text', text: details }] : [] };
      },
      async promptParams(answers, ctx) {
        const details = await detailsFor(answers, ctx);
        if (!details) return { details: '—' };
        return { details: details.length > DETAILS_MAX ? ctx.t('grant:review.details-above', { ref: answers.application }) : details };
      },
      async options(answers, ctx) {
        const record = answers.application ? await ctx.deps.services.grants.get(answers.application) : null;
        const moves = record ? movesFor(record).map((to) => ({ value: `${record.status}>${to}>${record.history.length}`, labelKey: `grant:review.to.${to}` })) : [];
        const confirm = record && mayConfirm(record, ctx.meta.userId) ? [{ value: `confirm>${record.history.length}`, labelKey: 'grant:review.confirm' }] : [];
        return [
          ...confirm,
          ...moves,
          { value: 'close', labelKey: 'grant:review.close' },
        ];
      },
    },
    {
      id: 'comment',
      kind: 'text',
      prompt: 'grant:review.comment-prompt',
      when: (answers) => decision(answers) !== null,
      promptParams: (answers, ctx) => {
        const to = decision(answers)?.to;
        return { hint: ctx.t(to && NEEDS_REASON.includes(to) ? `grant:review.reason-hint.${to}` : 'grant:review.comment-optional') };
      },
      schema: z.string().min(1, 'errors:invalid').max(1000, 'grant:review.comment-too-long'),
      check(value, answers) {
        const to = decision(answers)?.to;
        const text = String(value).trim();
        if (to && NEEDS_REASON.includes(to) && !saysSomething(text)) return { errorKey: 'grant:review.reason-required' };
        return { ok: true };
      },
    },
  ],
  async complete(answers, ctx) {
    const move = decision(answers);
    const ref = answers.application;
    const seen = confirmation(answers);
    if (seen !== null) {
      const confirmed = await ctx.deps.services.grants.confirmDecision(ctx.meta.userId, ref, seen);
      if (confirmed.result === 'confirmed') {
        return { replies: [{ kind: 'text', text: ctx.t('grant:review.confirmed', { ref, status: ctx.t(`grant:status.${confirmed.status}`) }) }] };
      }
      return { replies: [{ kind: 'text', text: ctx.t(`grant:review.failed.${confirmed.result}`, { ref }) }] };
    }
    if (!move) return { replies: [{ kind: 'text', text: ctx.t('grant:review.unchanged', { ref }) }] };
    const comment = (answers.comment ?? '').trim();
    const result = await ctx.deps.services.grants.changeStatus(ctx.meta.userId, ref, move.from, move.to, comment === '-' ? undefined : comment, move.seen);
    if (result.result === 'changed') {
      return { replies: [{ kind: 'text', text: ctx.t('grant:review.changed', { ref, status: ctx.t(`grant:status.${move.to}`) }) }] };
    }
    return { replies: [{ kind: 'text', text: ctx.t(`grant:review.failed.${result.result}`, { ref }) }] };
  },
});
