// reply_markup as the user sees it: inline buttons, a reply keyboard, or its removal.
import { errors } from './errors.js';
import type { Json } from './types.js';

export interface ParsedMarkup {
  buttons: string[][];
  callbackData: string[][];
  keyboard?: string[][];
  keyboardRequests?: Record<string, 'contact' | 'location'>;
  removeKeyboard?: boolean;
  inline?: Json;
}

/** Bot API clients send reply_markup as an object or as a JSON string. */
export function markupObject(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function parseMarkup(raw: unknown): ParsedMarkup {
  const markup = markupObject(raw);
  const result: ParsedMarkup = { buttons: [], callbackData: [] };
  if (!markup || typeof markup !== 'object') return result;
  const m = markup as Json;
  if (Array.isArray(m.inline_keyboard)) {
    for (const row of m.inline_keyboard as unknown[]) {
      const texts: string[] = [];
      const data: string[] = [];
      for (const b of Array.isArray(row) ? (row as Json[]) : []) {
        texts.push(String(b.text ?? ''));
        data.push(String(b.callback_data ?? b.url ?? b.switch_inline_query ?? ''));
      }
      result.buttons.push(texts);
      result.callbackData.push(data);
    }
    result.inline = { inline_keyboard: m.inline_keyboard };
  }
  if (Array.isArray(m.keyboard)) {
    result.keyboard = [];
    for (const row of m.keyboard as unknown[]) {
      const texts: string[] = [];
      for (const b of Array.isArray(row) ? (row as unknown[]) : []) {
        const button = typeof b === 'string' ? { text: b } : (b as Json);
        const text = String(button.text ?? '');
        texts.push(text);
        const request = button.request_contact ? 'contact' : button.request_location ? 'location' : undefined;
        if (request) (result.keyboardRequests ??= {})[text] = request;
      }
      result.keyboard.push(texts);
    }
  }
  if (m.remove_keyboard === true) result.removeKeyboard = true;
  return result;
}

/** Telegram refuses an inline keyboard of more buttons than this (the whole markup, all rows). */
export const INLINE_BUTTONS_MAX = 100;

/** Telegram's limits: callback_data of 1-64 bytes, no empty button text, at most 100 buttons. */
export function checkInlineKeyboard(markup: ParsedMarkup): void {
  if (markup.buttons.flat().length > INLINE_BUTTONS_MAX) throw errors.markupTooLong();
  for (const row of markup.callbackData) {
    for (const data of row) if (Buffer.byteLength(data, 'utf8') > 64) throw errors.buttonData();
  }
  for (const row of markup.buttons) {
    for (const text of row) if (!text) throw errors.emptyButton();
  }
}
