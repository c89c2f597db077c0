// The Bot API methods the built-in server answers. Anything else gets Telegram's 404, so a method
// Komek starts calling without the emulator learning it fails in tests instead of passing
// unnoticed (test/platform/bot-api-methods.test.ts checks Komek's calls against this list).

/** send* methods that create a message holding a file or media (kept with name and content). */
export const MEDIA_SENDS = [
  'sendPhoto',
  'sendDocument',
  'sendAudio',
  'sendVoice',
  'sendVideo',
  'sendAnimation',
  'sendSticker',
  'sendVideoNote',
] as const;

export const BOT_API_METHODS = [
  'getMe',
  'logOut',
  'close',
  'getUpdates',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'setMyCommands',
  'deleteMyCommands',
  'getMyCommands',
  'getChat',
  'sendChatAction',
  'sendMessage',
  'sendVenue',
  'sendLocation',
  'copyMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'deleteMessage',
  'answerCallbackQuery',
  'createForumTopic',
  'editForumTopic',
  'closeForumTopic',
  'reopenForumTopic',
  'deleteForumTopic',
  'banChatMember',
  'unbanChatMember',
  ...MEDIA_SENDS,
] as const;

export type BotApiMethod = (typeof BOT_API_METHODS)[number];

const MEDIA = new Set<string>(MEDIA_SENDS.map((m) => m.toLowerCase()));

/** Method names are case-insensitive in the Bot API, as here. */
export function isMediaSend(method: string): boolean {
  return MEDIA.has(method.toLowerCase());
}
