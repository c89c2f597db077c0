import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { consentAnswer } from '../../src/engine/answers.js';
import { ADULT_AGE, checkIin, maskIin } from '../../src/domain/iin.js';
import { spokenMask } from '../../src/i18n/spoken.js';
import { isMeaningfulName, normalizeForMatch } from '../../src/domain/text.js';
import { parseInteger } from '../../src/engine/read-answer.js';
import { formatTenge, parseAmount } from '../../src/domain/money.js';
import { kzDateParts } from '../../src/domain/kz-time.js';
import { REGION_KEYS } from '../../src/domain/regions.js';
import { certificateMaxAgeYears, eligibleProgrammes, FAMILY_GROUPS, maxAmount, mciFor, programmes, type ProgrammeKind } from '../../src/features/grant/programmes.js';
import { familyGroupOptions, limitText, NONE_GROUP, programmeOptions, realGroups, SECTOR_SENTENCES, SECTORS, sectorOptions, TYPE_SENTENCES } from './options.js';
import { regionChoiceOptions, regionFromLocation, typedRegion } from '../common/regions.js';

/**
 * The application for a family-business grant or microloan. A long form: it keeps a draft for
 * 7 days. The MCI and the form's start time are fixed when it opens (answers no step asks:
 * `mci`, `mciYear`, `startedAt`), so limits do not move under the applicant and a repeated
 * Submit is recognised.
 */

export const GRANT_APPLICATION_SCENE = 'grant-application';

const nameSchema = z.string().refine((s) => isMeaningfulName(s), 'grant:name.invalid');
// The number's name before it, as an IIN is pasted from a document or an eGov message: "ИИН:",
// "мой ИИН", "ЖСН", "IIN" (and "ИНН", the Russian tax number's name, which people also use).
const IIN_NAME = /^(?:мой\s+|менің\s+|my\s+)?(?:иин|жсн|iin|инн)\s*[:№#-]?\s*/i;
const iinSchema = z
  .string()
  .transform((s) => s.replace(IIN_NAME, '').replace(/[\s\-\u2010-\u2015\u2212]/g, ''))
  .pipe(z.string().regex(/^\d{12}$/, 'grant:iin.format'));
const membersSchema = z.number().int().min(1, 'grant:members.range').max(30, 'grant:members.range');
const childrenSchema = z.number().int().min(0, 'grant:children.range').max(20, 'grant:children.range');
// The question says "if there are none, type 0"; people who have none say so in words.
const NO_CHILDREN = new Set(['нет', 'нету', 'ноль', 'детей нет', 'нет детей', 'жок', 'нол', 'бала жок', 'балам жок', 'no', 'none', 'zero', 'no children']);
const parseChildren = (text: string): number | null => (NO_CHILDREN.has(normalizeForMatch(text)) ? 0 : parseInteger(text));
const LETTERS = /\p{L}/gu;
const ideaSchema = z
  .string()
  .min(50, 'grant:idea.too-short')
  .max(1500, 'grant:idea.too-long')
  .refine((s) => (s.match(LETTERS)?.length ?? 0) >= 30, 'grant:idea.words');
const amountSchema = z.number().int().positive('grant:amount.invalid');
const yearSchema = z.number().int().min(1900, 'grant:certificateYear.invalid').max(2999, 'grant:certificateYear.invalid');

const answers = z.object({
  type: z.enum(['grant', 'microloan']),
  name: z.string(),
  iin: z.string().regex(/^\d{12}$/),
  phone: z.string(),
  region: z.enum(REGION_KEYS),
  group: z.array(z.enum([...FAMILY_GROUPS, NONE_GROUP])),
  members: membersSchema,
  children: childrenSchema,
  sector: z.enum(SECTORS),
  idea: z.string(),
  amount: amountSchema,
  hasCertificate: z.enum(['yes', 'no']).optional(),
  certificateYear: yearSchema.optional(),
  consent: consentAnswer,
  /** The MCI, and its year, when the form was opened: the limits the applicant was shown. */
  mci: z.number().positive(),
  mciYear: z.number().int(),
  /** When the form was opened (ms): with the user id, the key that recognises a repeated Submit. */
  startedAt: z.number().int(),
});
type Answers = Partial<z.output<typeof answers>>;

const kindOf = (answers: Answers): ProgrammeKind => answers.type ?? 'grant';
const mciOf = (answers: Answers): number => answers.mci ?? mciFor(new Date()).mci;
const largeFamily = (answers: Answers, groups: unknown = answers.group) => realGroups(groups).includes('large-family');
const minChildren = () => programmes().largeFamilyMinChildren;

/**
 * An amount that no longer fits after the type or region was changed from the summary makes the
 * step "not applicable" for a moment: the engine drops the stale answer, then asks it again
 * because it is applicable and unanswered. That is how limits are re-checked after an edit.
 */
function amountStillFits(answers: Answers): boolean {
  if (typeof answers.amount !== 'number') return true;
  return answers.amount <= maxAmount(kindOf(answers), answers.region, mciOf(answers));
}

const thisYear = (ctx: StepContext) => kzDateParts(ctx.deps.now()).year;

export const grantApplicationScene = defineScene(answers, {
  id: GRANT_APPLICATION_SCENE,
  // 2: the fixed MCI and start time became named answers (drafts of 1 restart with a word).
  version: 2,
  namespace: 'grant',
  titleKey: 'grant:application.title',
  draftDays: 7,
  async enter(ctx) {
    const now = ctx.deps.now();
    const { year, mci } = mciFor(now);
    return { answers: { mci, mciYear: year, startedAt: now.getTime() } };
  },
  steps: [
    { id: 'type', kind: 'choice', prompt: 'grant:type.prompt', options: programmeOptions, sentences: TYPE_SENTENCES,
      promptParams: (answers, ctx) => ({ grant: limitText(ctx, 'grant', undefined, mciOf(answers)) }) },
    { id: 'name', kind: 'text', prompt: 'grant:name.prompt', schema: nameSchema },
    {
      id: 'iin',
      kind: 'text',
      prompt: 'grant:iin.prompt',
      schema: iinSchema,
      summarize: (value, _answers, ctx) => spokenMask(ctx.t, maskIin(String(value))),
      async check(value, answers, ctx) {
        const iin = checkIin(String(value), ctx.deps.now());
        if (!iin.ok) return { errorKey: `grant:iin.${iin.reason}` };
        if (iin.age < ADULT_AGE) return { errorKey: 'grant:iin.under-18', params: { count: ADULT_AGE } };
        const active = await ctx.deps.services.grants.findActive(iin.iin, kindOf(answers), ctx.meta.userId);
        const programme = ctx.t(`grant:programme.${kindOf(answers)}`);
        // Anyone can type an IIN: only the applicant's own chat is told which application it is.
        if (active?.own) return { errorKey: 'grant:iin.duplicate', params: { ref: active.ref, programme } };
        if (active) return { errorKey: 'grant:iin.duplicate-other', params: { programme } };
        return { ok: true };
      },
    },
    { id: 'phone', kind: 'phone', prompt: 'grant:phone.prompt' },
    { id: 'region', kind: 'choice', prompt: 'grant:region.prompt', columns: 1, options: (_answers, ctx) => regionChoiceOptions(ctx), typed: typedRegion, located: regionFromLocation },
    {
      id: 'group',
      kind: 'choice',
      prompt: 'grant:group.prompt',
      options: familyGroupOptions,
      multi: { min: 1 },
      check(value, answers, ctx) {
        const groups = realGroups(value);
        if (groups.length === 0) return { end: [{ kind: 'text', text: ctx.t('grant:eligibility.none') }], showMenu: true };
        if (!eligibleProgrammes(groups).includes(kindOf(answers))) return { errorKey: 'grant:group.not-for-programme' };
        if (largeFamily(answers, value) && typeof answers.children === 'number' && answers.children < minChildren()) {
          return { errorKey: 'grant:group.children-few', params: { count: minChildren(), children: answers.children } };
        }
        return { ok: true };
      },
    },
    {
      id: 'members',
      kind: 'number',
      prompt: 'grant:members.prompt',
      schema: membersSchema,
      check(value, answers) {
        if (typeof answers.children === 'number' && Number(value) < answers.children) {
          return { errorKey: 'grant:members.fewer-than-children', params: { children: answers.children } };
        }
        // A large family has its minimum of children and the applicant: fewer people would leave
        // the children step with no number it takes (too few for a large family, too many for the family).
        if (largeFamily(answers) && Number(value) < minChildren() + 1) return { errorKey: 'grant:members.large-family', params: { count: minChildren() + 1 } };
        return { ok: true };
      },
    },
    {
      id: 'children',
      kind: 'number',
      prompt: 'grant:children.prompt',
      parse: parseChildren,
      schema: childrenSchema,
      check(value, answers) {
        const children = Number(value);
        if (typeof answers.members === 'number' && children > answers.members) {
          return { errorKey: 'grant:children.more-than-members', params: { members: answers.members } };
        }
        if (largeFamily(answers) && children < minChildren()) return { errorKey: 'grant:children.large-family', params: { count: minChildren() } };
        return { ok: true };
      },
    },
    { id: 'sector', kind: 'choice', prompt: 'grant:sector.prompt', options: sectorOptions, sentences: SECTOR_SENTENCES },
    { id: 'idea', kind: 'text', prompt: 'grant:idea.prompt', schema: ideaSchema },
    {
      id: 'amount',
      kind: 'number',
      prompt: 'grant:amount.prompt',
      when: amountStillFits,
      parse: parseAmount,
      invalidKey: 'grant:amount.invalid',
      schema: amountSchema,
      promptParams: (answers, ctx) => ({
        programme: ctx.t(`grant:programme.${kindOf(answers)}`),
        limit: limitText(ctx, kindOf(answers), answers.region, mciOf(answers)),
      }),
      summarize: (value, _answers, ctx) => formatTenge(Number(value), ctx.locale),
      check(value, answers, ctx) {
        if (Number(value) > maxAmount(kindOf(answers), answers.region, mciOf(answers))) {
          return { errorKey: 'grant:amount.over-limit', params: { limit: limitText(ctx, kindOf(answers), answers.region, mciOf(answers)) } };
        }
        return { ok: true };
      },
    },
    {
      id: 'hasCertificate',
      kind: 'choice',
      prompt: 'grant:hasCertificate.prompt',
      when: (answers) => kindOf(answers) === 'microloan',
      options: [
        { value: 'yes', labelKey: 'grant:hasCertificate.yes' },
        { value: 'no', labelKey: 'grant:hasCertificate.no' },
      ],
    },
    {
      id: 'certificateYear',
      kind: 'number',
      prompt: 'grant:certificateYear.prompt',
      when: (answers) => kindOf(answers) === 'grant' || answers.hasCertificate === 'yes',
      schema: yearSchema,
      invalidKey: 'grant:certificateYear.invalid',
      promptParams: (answers, ctx) => ({
        oldest: thisYear(ctx) - certificateMaxAgeYears(kindOf(answers)),
        count: certificateMaxAgeYears(kindOf(answers)),
        required: ctx.t(kindOf(answers) === 'grant' ? 'grant:certificateYear.required' : 'grant:certificateYear.optional', {
          count: certificateMaxAgeYears(kindOf(answers)),
        }),
      }),
      check(value, answers, ctx) {
        const year = Number(value);
        const oldest = thisYear(ctx) - certificateMaxAgeYears(kindOf(answers));
        if (year > thisYear(ctx)) return { errorKey: 'grant:certificateYear.future', params: { year: thisYear(ctx) } };
        if (year < oldest) return { errorKey: `grant:certificateYear.too-old-${kindOf(answers)}`, params: { oldest, count: certificateMaxAgeYears(kindOf(answers)) } };
        return { ok: true };
      },
    },
    { id: 'consent', kind: 'consent', prompt: 'grant:consent.prompt', declinedKey: 'grant:consent.declined' },
    { id: 'confirm', kind: 'confirm', prompt: 'grant:confirm.prompt', submitKey: 'grant:confirm.submit' },
  ],
  async complete(answers, ctx) {
    const kind = answers.type;
    const result = await ctx.deps.services.grants.submit({
      userId: ctx.meta.userId,
      chatId: ctx.meta.chatId,
      locale: ctx.locale,
      submissionKey: `${ctx.meta.userId}-${answers.startedAt}`,
      programme: kind,
      name: answers.name,
      iin: answers.iin,
      phone: answers.phone,
      region: answers.region,
      groups: realGroups(answers.group),
      members: answers.members,
      children: answers.children,
      sector: answers.sector,
      idea: answers.idea,
      amount: answers.amount,
      mci: answers.mci,
      mciYear: answers.mciYear,
      ...(answers.certificateYear === undefined ? {} : { certificateYear: answers.certificateYear }),
    });
    const programme = ctx.t(`grant:programme.${kind}`);
    if (result.result === 'duplicate') {
      const text = result.own ? ctx.t('grant:submit.duplicate', { ref: result.ref, programme }) : ctx.t('grant:submit.duplicate-other', { programme });
      return { replies: [{ kind: 'text', text }] };
    }
    return { replies: [{ kind: 'text', text: ctx.t('grant:submit.done', { ref: result.ref, programme }) }] };
  },
});
