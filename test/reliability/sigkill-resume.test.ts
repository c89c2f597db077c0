import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { pollingBotEnv, spawnBot, type BotProcess } from '../support/spawn-bot.js';

const CHAT = 4242;

describe('a bot killed in the middle of a scene', () => {
  let api: BotApiServer;
  let bot: BotProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startBotApiServer();
    env = pollingBotEnv(api, 'sigkill');
  });

  afterAll(async () => {
    await bot?.kill();
    await api?.stop();
  });

  /** Pushes an update to getUpdates and waits for the bot's answer to settle. */
  async function say(push: () => void): Promise<string[]> {
    const before = api.messagesTo(CHAT).length;
    push();
    return (await api.waitForNewMessage(CHAT, before, 10_000, 150)).map((m) => m.text ?? '');
  }

  it('resumes at the same step after SIGKILL and a restart', async () => {
    bot = await spawnBot(env);
    await say(() => api.command(CHAT, 'start', undefined, { languageCode: 'en' }));
    await say(() => api.tap(CHAT, '✓ 3. English'));
    await say(() => api.command(CHAT, 'mydata'));
    const confirm = await say(() => api.text(CHAT, '1'));
    expect(confirm.at(-1)).toContain('Delete everything?');

    await bot.kill('SIGKILL');
    bot = await spawnBot(env);

    const after = await say(() => api.text(CHAT, '2'));
    // "2" answers the question that was open when the process died: keep my data.
    expect(after[0]).toBe('Nothing was deleted.');
    expect(after.at(-1)).toContain('Main menu');
  }, 90_000);
});
