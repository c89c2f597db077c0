import type { InlineButton } from './types.js';

/** Inline buttons as the Bot API's reply_markup: a link, or callback data ("noop" when a button has none). */
export const inlineMarkup = (rows: InlineButton[][]): { inline_keyboard: Array<Array<{ text: string; url?: string; callback_data?: string }>> } => ({
  inline_keyboard: rows.map((row) =>
    row.map((b) => (b.url ? { text: b.text, url: b.url } : { text: b.text, callback_data: b.data ?? 'noop' })),
  ),
});
