import type { Translate } from '../../i18n/index.js';
import type { Forwarded, RelayableMedia } from '../../telegram/types.js';
import { fileNameHoldsLongNumber, hideLongNumbers } from '../../domain/personal-numbers.js';

/** What of a citizen's message the staff topic shows: its words, the mark of an attachment, whether it was forwarded. */
export interface CitizenPost {
  text?: string;
  media?: RelayableMedia;
  forwarded?: Forwarded;
  /** The file's name holds an IIN or a card number: the file is not copied into the staff group (relay.ts). */
  nameHidden?: boolean;
}

/**
 * Marks an attachment whose file name (or an audio's title or performer) holds an IIN or a card
 * number, by the rules texts are hidden by (a camera's date and time aside). Only the mark is
 * kept, never the name: a copy of the message would show the name as it is, and Telegram cannot
 * rename a file it copies.
 */
export const fileNameMark = (fileNames: readonly string[] | undefined): { nameHidden?: true } =>
  fileNames?.some(fileNameHoldsLongNumber) ? { nameHidden: true } : {};

/** IINs and card numbers replaced by a marker with their last four digits, in the staff language. */
export const hiddenForStaffGroup = (t: Translate, text: string): string => hideLongNumbers(text, (digits) => t('inquiries:staff.number-hidden', { last: digits.slice(-4) }));

/**
 * A citizen's message as the staff group's topic shows it: "Citizen: …", or that they forwarded
 * it and from whom. IINs and card numbers are hidden there (last four digits shown): every member
 * of the group reads the topic, and Telegram keeps it after the person deletes their data, while
 * the operator answering needs no such number. The record keeps the full text (encrypted), and
 * the Staff menu in an operator's private chat, which checks their access to the question, shows
 * it whole.
 */
export function citizenLine(t: Translate, message: CitizenPost): string {
  return hiddenForStaffGroup(t, citizenWords(t, message));
}

/** The line in full, numbers and all: for the Staff menu in an operator's private chat. */
export function citizenWords(t: Translate, message: CitizenPost): string {
  const text = [message.media ? t(`inquiries:media.${message.media}`) : '', message.text ?? ''].filter(Boolean).join(' ');
  const from = message.forwarded?.from;
  if (!message.forwarded) return t('inquiries:staff.citizen-says', { text });
  return from ? t('inquiries:staff.citizen-forwarded', { from, text }) : t('inquiries:staff.citizen-forwarded-unnamed', { text });
}
