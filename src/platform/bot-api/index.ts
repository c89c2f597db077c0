// The built-in Bot API: one emulator for tests, benchmarks and the playground (docs/bot-api.md).
export { BotApiServer, startBotApiServer } from './server.js';
export { ApiError } from './errors.js';
export type { ChatsCodec } from './chats-file.js';
export { BOT_API_METHODS, MEDIA_SENDS, type BotApiMethod } from './methods.js';
export type {
  AdminRight, BotApiEvent, BotApiOptions, Counts, ForumTopic, Json, MessageState, RecordedCall, TranscriptEntry, Update, UpdateOptions, UserMessage, Venue,
} from './types.js';
