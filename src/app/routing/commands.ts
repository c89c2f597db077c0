import { permitted, type Registry } from '../registry.js';
import { languagePicker } from '../language-picker.js';
import type { HandlerContext } from '../types.js';
import type { Navigation, Nav } from './navigation.js';
import { denied } from './scene-access.js';
import type { SceneDispatch } from './scene-dispatch.js';

const NAV_COMMANDS: Readonly<Record<string, Nav>> = { cancel: 'cancel', menu: 'menu', language: 'language' };

/** /start (with deep links), the navigation commands and the features' commands. */
export interface Commands {
  start(ctx: HandlerContext, args: string): Promise<void>;
  run(ctx: HandlerContext, command: string, args: string): Promise<void>;
}

export function createCommands(registry: Registry, scenes: SceneDispatch, navigation: Navigation): Commands {
  async function start(ctx: HandlerContext, args: string): Promise<void> {
    const link = args ? registry.deepLinks.find((l) => args.startsWith(l.prefix)) : undefined;
    if (link) {
      if (!ctx.session.locale) ctx.session.locale = ctx.locale;
      await link.run(ctx, args.slice(link.prefix.length));
      return;
    }
    if (!ctx.session.locale) {
      ctx.session.pickingLanguage = true;
      ctx.reply(languagePicker(ctx, true));
      return;
    }
    if (ctx.session.scene) return scenes.leaveToMenu(ctx);
    ctx.reply({ kind: 'text', text: ctx.t('common:start.welcome-back') });
    await ctx.showMenu();
  }

  async function run(ctx: HandlerContext, command: string, args: string): Promise<void> {
    if (command === 'start') return start(ctx, args);
    const nav = NAV_COMMANDS[command];
    if (nav) return navigation.navigate(ctx, nav);
    const def = registry.commands.get(command);
    if (!def || !(await permitted(ctx, def))) {
      if (def?.permission) await denied(ctx, def.permission, `command:${command}`);
      ctx.reply({ kind: 'text', text: ctx.t('errors:unknown-command') });
      return scenes.repeat(ctx);
    }
    if (ctx.session.scene && def.inForm) return scenes.repeat(ctx, def.inForm(ctx));
    if (ctx.session.scene) {
      // A command in the middle of a form would lose the user's place; say so and ask again.
      return scenes.repeat(ctx, [{ kind: 'text', text: ctx.t('errors:command-in-scene', { command: `/${command}` }) }]);
    }
    await def.run(ctx, args);
  }

  return { start, run };
}
