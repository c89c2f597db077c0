import { startGrantExportHooks } from './export-delivery.js';
import type { Feature, HandlerContext, PersonalDataSection } from '../../app/types.js';
import type { Input } from '../../telegram/types.js';
import { grantHubScene } from '../../../scenes/grant/hub.js';
import { grantEligibilityScene } from '../../../scenes/grant/eligibility.js';
import { GRANT_APPLICATION_SCENE, grantApplicationScene } from '../../../scenes/grant/application.js';
import { grantMoreInfoScene } from '../../../scenes/grant/more-info.js';
import { grantReviewScene } from '../../../scenes/grant/review.js';
import { grantCallbacks } from './callbacks.js';
import { myApplicationsReplies, regionLabel } from './grant-texts.js';
import { formatTenge } from '../../domain/money.js';
import { spokenMask } from '../../i18n/spoken.js';
import { GRANT_EXPORT_SCENE, grantExportReplies, grantExportScene } from '../../../scenes/grant/export.js';
import { noticeConfirms, noticeIndex } from './grant-confirmation.js';
import type { Services } from '../../services/index.js';
import { backfillApplicantFlags, backfillApplicantGroupRegions, backfillApplicantRegions } from './applicant-flags.js';
import type { DeliveryJob } from '../../delivery/types.js';

/** A decision's notice withheld (its reviewer lost access before the send): another reviewer confirms it. */
async function awaitConfirmation(services: Services, job: DeliveryJob): Promise<void> {
  const index = noticeIndex(job.id);
  const ref = job.ref?.startsWith('grant:') ? job.ref.slice('grant:'.length) : undefined;
  if (index === null || !ref || !job.actedBy) return;
  await services.grants.markForConfirmation(ref, index, job.actedBy.userId, noticeConfirms(job.id));
}

async function showMyApplications(ctx: HandlerContext): Promise<void> {
  const records = await ctx.deps.services.grants.listForUser(ctx.meta.userId);
  ctx.reply(...myApplicationsReplies(ctx.t, ctx.locale, records));
  await ctx.showMenu();
}

/** An application's reference as the bot gives it ("KMK-2026-000123"), typed or pasted alone. */
const APPLICATION_REF = /^KMK-\d{4}-\d{6}$/;

/**
 * A reference typed alone at the menu: its status, as /myapplications shows it, when it is the
 * person's own application. Looked up in the knowledge base it was "I have no answer to that
 * yet". Anyone can type a reference, so another person's application is not named or shown.
 */
async function onTypedReference(ctx: HandlerContext, input: Input, inScene: boolean): Promise<boolean> {
  if (inScene || input.kind !== 'text') return false;
  const ref = input.text.trim().toUpperCase();
  if (!APPLICATION_REF.test(ref)) return false;
  const own = (await ctx.deps.services.grants.listForUser(ctx.meta.userId)).filter((record) => record.ref === ref);
  ctx.reply(...(own.length > 0 ? myApplicationsReplies(ctx.t, ctx.locale, own).slice(1) : [{ kind: 'text' as const, text: ctx.t('grant:mine.not-yours') }]));
  await ctx.showMenu();
  return true;
}

/** Staff get the masked export at once; admins choose, masked or in full. */
async function exportCsv(ctx: HandlerContext): Promise<void> {
  if ((await ctx.role()) === 'admin') return ctx.startScene(GRANT_EXPORT_SCENE);
  ctx.reply(...(await grantExportReplies(ctx, false)));
  await ctx.showMenu();
}

async function onButton(ctx: HandlerContext, rest: string): Promise<void> {
  const tapped = grantCallbacks.decode(rest);
  if (!tapped) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
    return;
  }
  const { ref } = tapped;
  const open = ctx.session.scene;
  // An old button (answered already, on this device or another, or decided meanwhile) must not
  // cost the form being filled in now: it is told on the button, and the form's question stays.
  if (open && (await ctx.deps.services.grants.getForUser(ctx.meta.userId, ref))?.status !== 'more-info') {
    ctx.reply({ kind: 'toast', text: ctx.t('grant:more-info.not-waiting', { ref }), alert: true });
    return;
  }
  // A half-filled application must survive the applicant answering a question on another one.
  if (open?.id === GRANT_APPLICATION_SCENE) ctx.session.drafts = { ...ctx.session.drafts, [open.id]: open };
  delete ctx.session.scene;
  await ctx.startScene('grant-more-info', { ref });
}

/** How much of the business idea "My data" quotes: enough to recognise it, short enough for one message. */
const IDEA_SHOWN = 200;
const opening = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max).trimEnd()}…` : text);

/** What the applicant's applications hold, and what "delete my data" keeps of them and why. */
const applicationsSection: PersonalDataSection = {
  id: 'grant-applications',
  async describe(ctx) {
    const { grants } = ctx.deps.services;
    const records = await grants.listForUser(ctx.meta.userId);
    // Every answer the application keeps, in the applicant's own words (the overview promises
    // "everything"): IIN and phone masked, the idea's opening only, answers to staff counted.
    return records.map((record) => {
      const masked = grants.maskedContacts(record);
      return ctx.t('grant:mydata.item', {
        ref: record.ref,
        programme: ctx.t(`grant:programme.${record.programme}`),
        status: ctx.t(`grant:status.${record.status}`),
        iin: spokenMask(ctx.t, masked.iin),
        phone: spokenMask(ctx.t, masked.phone),
        name: record.name ?? '—',
        region: regionLabel(record.region, ctx.locale),
        groups: record.groups.map((g) => ctx.t(`grant:group-option.${g}`)).join(', ') || '—',
        members: record.members,
        children: record.children,
        sector: ctx.t(`grant:sector-option.${record.sector}`),
        amount: formatTenge(record.amount, ctx.locale),
        certificate: record.certificateYear ?? '—',
        idea: record.idea ? opening(record.idea, IDEA_SHOWN) : '—',
        answers: record.history.filter((entry) => entry.answer).length,
      });
    });
  },
  async erase(ctx) {
    const refs = await ctx.deps.services.grants.eraseForUser(ctx.meta.userId);
    if (!refs.length) return { keptByLaw: [], notDeleted: [] };
    // One application is spoken of in the singular ("Application G-1: its number ..."), more in the plural.
    const key = refs.length === 1 ? 'grant:mydata.kept-single' : 'grant:mydata.kept';
    return { keptByLaw: [ctx.t(key, { refs: refs.join(', ') })], notDeleted: [] };
  },
};

/** Family-business grants and microloans: eligibility, application, status, staff review. */
export const grantFeature: Feature = {
  startUp: [
    { name: 'applicant audience flags', run: backfillApplicantFlags },
    { name: 'applicant announcement regions', run: backfillApplicantRegions },
    { name: 'applicant group regions', run: backfillApplicantGroupRegions },
  ],
  id: 'grant',
  scenes: [grantHubScene, grantEligibilityScene, grantApplicationScene, grantMoreInfoScene, grantReviewScene, grantExportScene],
  menu: [{ id: 'grant', labelKey: 'grant:menu.entry', order: 30, scene: 'grant-hub' }],
  staffMenu: [
    { id: 'grant-review', labelKey: 'grant:menu.review', order: 300, permission: 'grants.review', scene: 'grant-review' },
    { id: 'grant-export', labelKey: 'grant:menu.export', order: 310, permission: 'grants.export', run: exportCsv },
  ],
  commands: [{ command: 'myapplications', descriptionKey: 'grant:commands.myapplications', run: showMyApplications }],
  freeText: onTypedReference,
  callbacks: [{ prefix: grantCallbacks.prefix, run: onButton }],
  personalData: [applicationsSection],
  repairs: [
    { name: 'grant decisions cut short', run: (deps) => deps.services.grants.finishInterrupted() },
    // Ideas and answers of applications written before they were sealed (free-text.ts).
    { name: 'free texts left in the clear', run: (deps) => deps.services.grants.sealOlderTexts() },
  ],
  delivery: {
    // A status notice goes to anyone who has not blocked the bot, announcements off or not,
    // while the application is still theirs (not after "Delete my data").
    guards: (services, base) => ({
      'grant-status': async (job) => {
        const ref = job.ref?.startsWith('grant:') ? job.ref.slice('grant:'.length) : undefined;
        return (!ref || (await services.grants.stillLinked(ref))) && base(job);
      },
    }),
    withheld: ({ services }) => ({ 'grant-status': (job) => awaitConfirmation(services, job) }),
    start: startGrantExportHooks,
  },
};
