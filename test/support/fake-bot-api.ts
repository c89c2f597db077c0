// The tests' name for the built-in Bot API server (src/platform/bot-api): one emulator in the repo.
// Point grammY (`client.apiRoot`) or Telegraf (`telegram.apiRoot`) at `apiRoot`, push updates with
// the builders, and assert on what a user would see via messagesTo()/visibleMessages().
import { BotApiServer, type BotApiOptions } from '../../src/platform/bot-api/index.js';

export { BotApiServer as FakeBotApi } from '../../src/platform/bot-api/index.js';
export type {
  BotApiOptions as FakeBotApiOptions, Counts, MessageState, RecordedCall, Update, UpdateOptions, Venue,
} from '../../src/platform/bot-api/index.js';

/** Starts a FakeBotApi; pair with `await api.stop()` in afterAll/afterEach. */
export async function startFakeBotApi(options: BotApiOptions = {}): Promise<BotApiServer> {
  const api = new BotApiServer(options);
  await api.start();
  return api;
}
