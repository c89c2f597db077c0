import { maskIin } from '../../domain/iin.js';
import { hideLongNumbers } from '../../domain/personal-numbers.js';
import type { DataCipher } from '../../security/crypto.js';

/**
 * The texts written about an application in words, the applicant's business idea and answers to
 * a reviewer's question and the reviewers' comments, rest sealed (`ideaEnc`, `answerEnc`,
 * `commentEnc`) like the IIN and phone fields: people type there what they like, a spouse's IIN
 * or a phone number included, and reviewers quote what they check. Records written before hold
 * them in the clear (`idea`, `answer`, `comment`), which is still read.
 */

interface SealedHistoryEntry {
  answer?: string | null;
  answerEnc?: string | null;
  comment?: string | null;
  commentEnc?: string | null;
}

interface SealedTexts {
  idea?: string | null;
  ideaEnc?: string | null;
  history: SealedHistoryEntry[];
}

/** The record with its free texts opened (`idea`, each entry's `answer`) and the sealed copies left out. */
export function openFreeTexts<R extends SealedTexts>(record: R, cipher: DataCipher): R {
  const { ideaEnc, ...rest } = record;
  const idea = ideaEnc ? cipher.decrypt(ideaEnc) : record.idea;
  const history = record.history.map((entry) => {
    const { answerEnc, commentEnc, ...plain } = entry;
    return {
      ...plain,
      ...(answerEnc ? { answer: cipher.decrypt(answerEnc) } : {}),
      ...(commentEnc ? { comment: cipher.decrypt(commentEnc) } : {}),
    };
  });
  return { ...rest, ...(idea ? { idea } : {}), history } as R;
}

/**
 * For a reviewer who is not an admin: every number of twelve digits or more (an IIN, a BIN, a
 * card), however it is written ("8503 0140 0772", "850301/400772"), masked as the IIN field is;
 * the rest of the words as written, phone numbers too.
 */
export const maskIinsIn = (text: string): string => hideLongNumbers(text, maskIin);

/** The words written about the application as a reviewer who is not an admin may read them. */
export function maskedForReviewer<R extends SealedTexts>(record: R): R {
  return {
    ...record,
    ...(record.idea ? { idea: maskIinsIn(record.idea) } : {}),
    history: record.history.map((entry) => ({
      ...entry,
      ...(entry.answer ? { answer: maskIinsIn(entry.answer) } : {}),
      ...(entry.comment ? { comment: maskIinsIn(entry.comment) } : {}),
    })),
  };
}

/**
 * The write that seals the clear texts of one application written before they were sealed, or
 * null when it holds none: only those fields, and only while they hold the texts as read
 * (`still`, with the history's length). A text erased meanwhile ("Delete my data") is not
 * written back sealed, and a decision added meanwhile makes the write miss; the next pass reads
 * the record again.
 */
export function sealingUpdate(
  record: SealedTexts,
  cipher: DataCipher,
): { still: Record<string, unknown>; update: { $set: Record<string, string>; $unset: Record<string, 1> } } | null {
  const still: Record<string, unknown> = { history: { $size: record.history.length } };
  const $set: Record<string, string> = {};
  const $unset: Record<string, 1> = {};
  if (record.idea) {
    still.idea = record.idea;
    $set.ideaEnc = cipher.encrypt(record.idea);
    $unset.idea = 1;
  }
  record.history.forEach((entry, i) => {
    for (const field of ['answer', 'comment'] as const) {
      const clear = entry[field];
      if (!clear) continue;
      still[`history.${i}.${field}`] = clear;
      $set[`history.${i}.${field}Enc`] = cipher.encrypt(clear);
      $unset[`history.${i}.${field}`] = 1;
    }
  });
  return Object.keys($unset).length ? { still, update: { $set, $unset } } : null;
}

/** The same for a decision's record (its comment and the applicant's answer), or null when it holds neither in the clear. */
export function sealingDecisionUpdate(
  decision: { answer?: string | null; comment?: string | null },
  cipher: DataCipher,
): { still: Record<string, string>; update: { $set: Record<string, string>; $unset: Record<string, 1> } } | null {
  const still: Record<string, string> = {};
  const $set: Record<string, string> = {};
  const $unset: Record<string, 1> = {};
  for (const field of ['answer', 'comment'] as const) {
    const clear = decision[field];
    if (!clear) continue;
    still[field] = clear;
    $set[`${field}Enc`] = cipher.encrypt(clear);
    $unset[field] = 1;
  }
  return Object.keys($unset).length ? { still, update: { $set, $unset } } : null;
}
