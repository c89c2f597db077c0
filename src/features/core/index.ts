import type { Feature, HandlerContext } from '../../app/types.js';
import type { Reply } from '../../telegram/types.js';
import { STAFF_MENU_ID } from '../../app/menu.js';

/** Help, and the Staff entry that opens the staff menu (the router renders it). */
export const coreFeature: Feature = {
  id: 'core',
  menu: [
    { id: 'help', labelKey: 'common:menu.help', order: 90, run: async (ctx) => help(ctx) },
    { id: STAFF_MENU_ID, labelKey: 'common:menu.staff', order: 100, roles: ['staff'] },
  ],
  // In a form, help is shown and the question asked again: it explains Back and Cancel, so it
  // must not ask the person to leave the form first.
  commands: [{ command: 'help', run: async (ctx) => help(ctx), inForm: (ctx) => [helpText(ctx)] }],
};

const helpText = (ctx: HandlerContext): Reply => ({ kind: 'text', text: ctx.t('common:help.text') });

async function help(ctx: HandlerContext): Promise<void> {
  ctx.reply(helpText(ctx));
  await ctx.showMenu();
}
