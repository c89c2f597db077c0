import type { Json } from './types.js';

/** A Bot API failure: sent back as `{ ok: false, error_code, description, parameters }` with that HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: Json,
  ) {
    super(description);
  }
}

// Telegram's own wording, so code that matches on descriptions behaves as in production.
export const errors = {
  blocked: () => new ApiError(403, 'Forbidden: bot was blocked by the user'),
  tooMany: (retryAfter: number) =>
    new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  notModified: () =>
    new ApiError(
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  chatIdEmpty: () => new ApiError(400, 'Bad Request: chat_id is empty'),
  notAGroup: () => new ApiError(400, 'Bad Request: method is available for supergroup and channel chats only'),
  userIdInvalid: () => new ApiError(400, 'Bad Request: invalid user_id specified'),
  textEmpty: () => new ApiError(400, 'Bad Request: message text is empty'),
  tooLong: () => new ApiError(400, 'Bad Request: message is too long'),
  editNotFound: () => new ApiError(400, 'Bad Request: message to edit not found'),
  deleteNotFound: () => new ApiError(400, 'Bad Request: message to delete not found'),
  captionTooLong: () => new ApiError(400, 'Bad Request: message caption is too long'),
  captionNotAllowed: () => new ApiError(400, 'Bad Request: this message cannot have a caption'),
  copyNotFound: () => new ApiError(400, 'Bad Request: message to copy not found'),
  badLocation: () => new ApiError(400, 'Bad Request: wrong latitude or longitude'),
  buttonData: () => new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID'),
  markupTooLong: () => new ApiError(400, 'Bad Request: reply markup is too long'),
  emptyButton: () => new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard'),
  callbackTextLong: () => new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG'),
  threadNotFound: () => new ApiError(400, 'Bad Request: message thread not found'),
  notForum: () => new ApiError(400, 'Bad Request: the chat is not a forum'),
  topicNameInvalid: () => new ApiError(400, 'Bad Request: TOPIC_NAME_INVALID'),
  topicNotModified: () => new ApiError(400, 'Bad Request: TOPIC_NOT_MODIFIED'),
  adminRequired: () => new ApiError(400, 'Bad Request: CHAT_ADMIN_REQUIRED'),
  methodNotFound: () => new ApiError(404, 'Not Found'),
  webhookActive: () =>
    new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
};
