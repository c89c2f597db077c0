import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChoiceOption, StepDef } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { dateAnswer } from '../../src/engine/answers.js';
import { LOCALES, type Locale } from '../../src/telegram/types.js';
import { isRegionKey, REGION_KEYS, regionKeysByName, regionName } from '../../src/domain/regions.js';
import { formatKzDateTime } from '../../src/domain/kz-time.js';
import { regionsFor } from '../../src/app/access.js';
import { snippet, type BroadcastTexts } from '../../src/features/broadcast/broadcast-render.js';
import { cancelButtons } from '../../src/features/broadcast/broadcast-progress.js';
import { MAX_TEXT as ENGINE_MAX_TEXT } from '../../src/engine/read-answer.js';
import { previewedTexts, previews } from './preview.js';
import { LANGUAGE_NAMES } from '../../src/domain/languages.js';
import { AUDIENCE_GROUPS, type AudienceSpec } from '../../src/features/broadcast/broadcast-types.js';

/**
 * The engine turns down any message longer than its own limit before a schema runs, so the
 * prompt must promise no more than that; it also leaves room for the footer within Telegram's 4,096.
 */
export const MAX_TEXT = ENGINE_MAX_TEXT;

const languageOptions: ChoiceOption[] = LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));

const text = z.string().min(1, 'errors:text.too-short').max(MAX_TEXT, 'errors:text.too-long');
const answers = z.object({
  languages: z.array(z.enum(LOCALES)).min(1).max(3),
  text_kk: text.optional(),
  text_ru: text.optional(),
  text_en: text.optional(),
  fallback: z.enum(LOCALES).optional(),
  group: z.enum(AUDIENCE_GROUPS),
  region: z.union([z.literal('any'), z.enum(REGION_KEYS)]),
  audience_language: z.union([z.literal('any'), z.enum(LOCALES)]),
  timing: z.enum(['now', 'later']),
  send_at: dateAnswer.optional(),
  /** Texts already previewed in this scene (see broadcast-preview.ts). */
  previewed: previewedTexts.optional(),
  /**
   * Made when the form opens: the key of the broadcast it sends, so "Send" run again (the
   * mailbox retries an update that failed after the broadcast was recorded) finds it instead of
   * sending everyone a second one. A form opened before this existed has none.
   */
  request: z.string().optional(),
});
type Answers = Partial<z.output<typeof answers>>;

const TEXT_STEP = { kk: 'text_kk', ru: 'text_ru', en: 'text_en' } as const satisfies Record<Locale, keyof Answers>;

function chosen(answers: Answers): Locale[] {
  const value = answers.languages ?? [];
  return LOCALES.filter((l) => value.includes(l));
}

function textsOf(answers: Answers): BroadcastTexts {
  const texts: BroadcastTexts = {};
  for (const l of chosen(answers)) {
    const text = answers[TEXT_STEP[l]];
    if (text) texts[l] = text;
  }
  return texts;
}

function fallbackOf(answers: Answers): Locale {
  const langs = chosen(answers);
  return answers.fallback && langs.includes(answers.fallback) ? answers.fallback : (langs[0] ?? 'kk');
}

/** The audience as filters on user records; counting and queueing happen in the database and the fan-out job. */
function audienceOf(answers: Answers): AudienceSpec {
  const group = answers.group ?? 'all';
  const region = answers.region && answers.region !== 'any' ? answers.region : undefined;
  const language = answers.audience_language && answers.audience_language !== 'any' ? answers.audience_language : undefined;
  return { group, ...(region ? { region } : {}), ...(language ? { language } : {}) };
}

/**
 * The audience counted once per update: the summary's paid estimate and its prompt both need it,
 * and at country scale one count reads the whole audience.
 */
const counted = new WeakMap<object, Map<string, Promise<number>>>();
function countOnce(ctx: { deps: { services: { broadcasts: { countAudience(a: AudienceSpec): Promise<number> } } } }, audience: AudienceSpec): Promise<number> {
  const mine = counted.get(ctx) ?? new Map<string, Promise<number>>();
  counted.set(ctx, mine);
  const key = JSON.stringify(audience);
  const count = mine.get(key) ?? ctx.deps.services.broadcasts.countAudience(audience);
  mine.set(key, count);
  return count;
}

/** Stars for `count` messages at `perMessage`, rounded up to a whole Star (what the balance needs). */
export function paidCost(count: number, perMessage: number): number {
  return Math.ceil(Math.round(count * perMessage * 1000) / 1000);
}

function textStep(locale: Locale): StepDef<z.output<typeof answers>> {
  return {
    id: TEXT_STEP[locale],
    kind: 'text',
    prompt: 'broadcast:text.prompt',
    promptParams: () => ({ language: LANGUAGE_NAMES[locale], count: MAX_TEXT }),
    summaryKey: `broadcast:text.summary-${locale}`,
    when: (answers) => chosen(answers).includes(locale),
    schema: text,
    summarize: (value) => snippet(String(value)),
  };
}

/** Staff write an announcement in one to three languages, choose who gets it, preview, send or schedule. */
export const broadcastComposeScene = defineScene(answers, {
  id: 'broadcast-compose',
  version: 1,
  namespace: 'broadcast',
  titleKey: 'broadcast:title',
  inactivitySeconds: 60 * 60,
  permission: 'broadcasts.send',
  // "any" region is inside the scope of unlimited broadcasters only.
  scope: (answers) => (answers.region ? { region: answers.region } : undefined),
  async enter() {
    return { answers: { request: randomBytes(9).toString('base64url') } };
  },
  steps: [
    { id: 'languages', kind: 'choice', prompt: 'broadcast:languages.prompt', options: languageOptions, multi: { min: 1, max: 3 } },
    ...LOCALES.map(textStep),
    {
      id: 'fallback',
      kind: 'choice',
      prompt: 'broadcast:fallback.prompt',
      // With one language it is the only choice; with all three nobody is missing.
      when: (answers) => chosen(answers).length === 2,
      options: (answers) => chosen(answers).map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
    },
    {
      id: 'group',
      kind: 'choice',
      prompt: 'broadcast:group.prompt',
      options: [
        { value: 'all', labelKey: 'broadcast:group.all' },
        { value: 'volunteers', labelKey: 'broadcast:group.volunteers' },
        { value: 'applicants', labelKey: 'broadcast:group.applicants' },
      ],
    },
    {
      id: 'region',
      kind: 'choice',
      prompt: 'broadcast:region.prompt',
      // Broadcasters limited to regions are not offered "All regions", so the question says so.
      promptParams: async (_answers, ctx) =>
        regionsFor(await ctx.access(), 'broadcasts.send') === null ? {} : { promptKey: 'broadcast:region.prompt-mine' },
      // One column: long region names are not cut in half a row.
      columns: 1,
      // A broadcaster for some regions writes only to those regions; "every region" is for the others.
      async options(_answers, ctx) {
        const regions = regionsFor(await ctx.access(), 'broadcasts.send');
        const keys = regions === null ? regionKeysByName(ctx.locale) : regionKeysByName(ctx.locale).filter((key) => regions.includes(key));
        return [
          ...(regions === null ? [{ value: 'any', label: ctx.t('broadcast:region.any') }] : []),
          ...keys.map((key) => ({ value: key, label: regionName(key, ctx.locale) })),
        ];
      },
      summarize: (value, _answers, ctx) =>
        value === 'any' || !isRegionKey(value) ? ctx.t('broadcast:region.any') : regionName(value, ctx.locale),
    },
    {
      id: 'audience_language',
      kind: 'choice',
      prompt: 'broadcast:audience_language.prompt',
      options: [{ value: 'any', labelKey: 'broadcast:audience_language.any' }, ...languageOptions],
    },
    {
      id: 'timing',
      kind: 'choice',
      prompt: 'broadcast:timing.prompt',
      options: [
        { value: 'now', labelKey: 'broadcast:timing.now' },
        { value: 'later', labelKey: 'broadcast:timing.later' },
      ],
    },
    {
      id: 'send_at',
      kind: 'date',
      withTime: true,
      prompt: 'broadcast:send_at.prompt',
      when: (answers) => answers.timing === 'later',
      check: (value, _answers, ctx) =>
        typeof value === 'string' && new Date(value).getTime() > ctx.deps.now().getTime() ? undefined : { errorKey: 'broadcast:send_at.past' },
    },
    {
      id: 'confirm',
      kind: 'confirm',
      prompt: 'broadcast:confirm.prompt',
      submitKey: 'broadcast:confirm.submit',
      // The previews go out just before the summary, once each time it is reached (each new or changed text).
      async before(answers, ctx) {
        const shown = previews(ctx, textsOf(answers), chosen(answers), answers.previewed);
        const replies = shown.replies;
        const { config } = ctx.deps;
        // Paid broadcasts cost Stars: the staff see the most it can cost before they confirm.
        if (config.PAID_BROADCASTS) {
          const count = await countOnce(ctx, audienceOf(answers));
          const stars = paidCost(count, config.PAID_BROADCAST_STARS_PER_MESSAGE);
          if (count > 0) replies.push({ kind: 'text', text: ctx.t('broadcast:paid.estimate', { count, stars, rate: config.PAID_BROADCAST_RATE }) });
        }
        return { replies, remember: { previewed: shown.previewed } };
      },
      promptParams: async (answers, ctx) => ({ count: await countOnce(ctx, audienceOf(answers)) }),
    },
  ],
  async complete(answers, ctx) {
    const texts = textsOf(answers);
    const sendAt = answers.timing === 'later' && answers.send_at ? new Date(answers.send_at) : undefined;
    if (sendAt && sendAt.getTime() <= ctx.deps.now().getTime()) {
      return { replies: [{ kind: 'text', text: ctx.t('broadcast:send_at.past-at-confirm') }] };
    }
    const { id, total } = await ctx.deps.services.broadcasts.create({
      createdBy: ctx.meta.userId,
      staffChatId: ctx.meta.chatId,
      staffLocale: ctx.locale,
      texts,
      fallback: fallbackOf(answers),
      audience: audienceOf(answers),
      sendAt,
      ...(answers.request ? { requestKey: `${ctx.meta.userId}.${answers.request}` } : {}),
    });
    if (total === 0) return { replies: [{ kind: 'text', text: ctx.t('broadcast:nobody') }] };
    if (sendAt) {
      return {
        replies: [
          {
            kind: 'text',
            text: ctx.t('broadcast:scheduled', { count: total, date: formatKzDateTime(sendAt, ctx.locale) }),
            buttons: cancelButtons(ctx.t, id),
          },
        ],
      };
    }
    return { replies: [{ kind: 'text', text: ctx.t('broadcast:queued', { count: total }) }] };
  },
});
