import { LOCALES } from './types.js';
import type { Registry } from '../app/registry.js';
import type { I18n } from '../i18n/index.js';
import type { ApiCaller } from './api-caller.js';
import type { Locale } from './types.js';

const CORE_COMMANDS = ['start', 'menu', 'help', 'language', 'cancel'];

/** The command list in each language, so a user sees it in the language of their Telegram app. */
export function commandList(registry: Registry, i18n: I18n, locale: Locale): Array<{ command: string; description: string }> {
  const t = i18n.t(locale);
  const core = CORE_COMMANDS.map((command) => ({ command, description: t(`common:commands.${command}`) }));
  const features = [...registry.commands.values()]
    .filter((c) => c.descriptionKey && !c.roles?.length)
    .map((c) => ({ command: c.command, description: t(c.descriptionKey!) }));
  return [...core, ...features];
}

export async function registerCommands(api: ApiCaller, registry: Registry, i18n: I18n, fallback: Locale): Promise<void> {
  for (const locale of LOCALES) {
    await api.call('setMyCommands', { commands: commandList(registry, i18n, locale), language_code: locale });
  }
  // Users whose app is in another language get the default locale's list.
  await api.call('setMyCommands', { commands: commandList(registry, i18n, fallback) });
}
