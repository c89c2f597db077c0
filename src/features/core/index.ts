import type { Feature } from '../../app/types.js';
import { STAFF_MENU_ID } from '../../app/menu.js';

/** Help, and the Staff entry that opens the staff menu (the router renders it). */
export const coreFeature: Feature = {
  id: 'core',
  menu: [
    { id: 'help', labelKey: 'common:menu.help', order: 90, run: async (ctx) => help(ctx) },
    { id: STAFF_MENU_ID, labelKey: 'common:menu.staff', order: 100, roles: ['staff'] },
  ],
  commands: [{ command: 'help', run: async (ctx) => help(ctx) }],
};

async function help(ctx: Parameters<NonNullable<Feature['commands']>[number]['run']>[0]): Promise<void> {
  ctx.reply({ kind: 'text', text: ctx.t('common:help.text') });
  await ctx.showMenu();
}
