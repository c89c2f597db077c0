import type { Feature, HandlerContext } from '../app/types.js';
import { grantHubScene } from '../../scenes/grant-hub.js';
import { grantEligibilityScene } from '../../scenes/grant-eligibility.js';
import { GRANT_APPLICATION_SCENE, grantApplicationScene } from '../../scenes/grant-application.js';
import { grantMoreInfoScene } from '../../scenes/grant-more-info.js';
import { grantReviewScene } from '../../scenes/grant-review.js';
import { GRANT_CALLBACK_PREFIX } from '../services/grant-notices.js';
import { myApplicationsReplies } from '../services/grant-texts.js';
import { grantsCsv, splitMessages } from '../services/grant-export.js';

async function showMyApplications(ctx: HandlerContext): Promise<void> {
  const records = await ctx.deps.services.grants.listForUser(ctx.meta.userId);
  ctx.reply(...myApplicationsReplies(ctx.t, ctx.locale, records));
  await ctx.showMenu();
}

/**
 * CSV in the chat, split into messages of at most 4096 characters. Chosen over a file on the
 * server: no copy of personal data is left on disk, and staff need nothing but the chat. Names,
 * IINs and phones are masked unless an admin asks; every export is in the audit log.
 */
async function exportCsv(ctx: HandlerContext): Promise<void> {
  const { grants } = ctx.deps.services;
  const masked = (await ctx.role()) !== 'admin';
  const records = await grants.all();
  await grants.recordExport(ctx.meta.userId, records.length, masked);
  ctx.reply({ kind: 'text', text: ctx.t(masked ? 'grant:export.masked' : 'grant:export.full', { count: records.length }) });
  for (const chunk of splitMessages(grantsCsv(records, grants, masked))) ctx.reply({ kind: 'text', text: chunk });
  await ctx.showMenu();
}

async function onButton(ctx: HandlerContext, rest: string): Promise<void> {
  const [action, ref = ''] = rest.split(':');
  if (action !== 'info' || !/^KMK-\d{4}-\d{6}$/.test(ref)) {
    ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
    return;
  }
  // A half-filled application must survive the applicant answering a question on another one.
  const open = ctx.session.scene;
  if (open?.id === GRANT_APPLICATION_SCENE) ctx.session.drafts = { ...ctx.session.drafts, [open.id]: open };
  delete ctx.session.scene;
  await ctx.startScene('grant-more-info', { ref });
}

/** What the applicant's applications hold, and what "delete my data" keeps of them and why. */
const applicationsSection = {
  id: 'grant-applications',
  async describe(ctx: HandlerContext): Promise<string[]> {
    const { grants } = ctx.deps.services;
    const records = await grants.listForUser(ctx.meta.userId);
    return records.map((record) => {
      const masked = grants.maskedContacts(record);
      return ctx.t('grant:mydata.item', {
        ref: record.ref,
        programme: ctx.t(`grant:programme.${record.programme}`),
        status: ctx.t(`grant:status.${record.status}`),
        iin: masked.iin,
        phone: masked.phone,
      });
    });
  },
  async erase(ctx: HandlerContext): Promise<string[]> {
    const refs = await ctx.deps.services.grants.eraseForUser(ctx.meta.userId);
    return refs.length ? [ctx.t('grant:mydata.kept', { refs: refs.join(', '), count: refs.length })] : [];
  },
};

/** Family-business grants and microloans: eligibility, application, status, staff review. */
export const grantFeature: Feature = {
  id: 'grant',
  scenes: [grantHubScene, grantEligibilityScene, grantApplicationScene, grantMoreInfoScene, grantReviewScene],
  menu: [{ id: 'grant', labelKey: 'grant:menu.entry', order: 30, scene: 'grant-hub' }],
  staffMenu: [
    { id: 'grant-review', labelKey: 'grant:menu.review', order: 300, roles: ['staff'], scene: 'grant-review' },
    { id: 'grant-export', labelKey: 'grant:menu.export', order: 310, roles: ['staff'], run: exportCsv },
  ],
  commands: [{ command: 'myapplications', descriptionKey: 'grant:commands.myapplications', run: showMyApplications }],
  callbacks: [{ prefix: GRANT_CALLBACK_PREFIX, run: onButton }],
  personalData: [applicationsSection],
};
