// Shared steps for the grant tests: IIN vectors, and filling the application by typing, which
// works the same in every language (numbers for choices, words for text).
import { iinCheckDigit } from '../../src/domain/iin.js';
import { GRANT_EXPORT_QUEUE_NAME, grantExportJobId } from '../../src/delivery/grant-export-queue.js';
import type { TestApp } from '../support/app-harness.js';
import type { MessageState } from '../../src/platform/bot-api/index.js';
import type { GrantSubmission } from '../../src/features/grant/grant-submit.js';
import type { GrantsService } from '../../src/features/grant/grants.service.js';

/** 12 digits with a valid check digit; the serial is bumped past numbers that cannot be valid. */
export function makeIin(yymmdd: string, centuryDigit: string, serial = 1): string {
  for (let s = serial; s < serial + 50; s++) {
    const first11 = `${yymmdd}${centuryDigit}${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no valid IIN');
}

/** 20 November 2026, 11:00 in Kazakhstan. */
export const NOW = new Date('2026-11-20T06:00:00Z');

export const IIN = {
  /** From docs/domain.md: born 11.12.2006, 19 on NOW. */
  valid: '061211600012',
  adultA: makeIin('900515', '3', 12),
  adultB: makeIin('850301', '4', 77),
  adultC: makeIin('780710', '3', 5),
  adultD: makeIin('920229', '4', 31),
  adultE: makeIin('880808', '3', 3),
  /** Born 2010: 16 on NOW. */
  minor: makeIin('100101', '5', 1),
  /** Last digit changed: the check digit no longer matches. */
  badCheck: `061211600012`.slice(0, 11) + '3',
  /** 31 April does not exist. */
  impossibleDate: makeIin('900431', '3', 1),
  /** The first weighted sum gives 10, so the second weights decide the check digit (1); 0 is wrong. */
  secondWeights: '900315300111',
  secondWeightsBad: '900315300110',
  /** Seventh digit 7: no century is coded that way. */
  badCentury: makeIin('900515', '7', 1),
};

export const IDEA =
  'I want to open a small sewing workshop at home: school uniforms and curtains for neighbours, and I need a sewing machine and an overlocker.';

/**
 * An application by a large family, submitted through the service where the form is not what a
 * test is about: `more` changes what the test is about. Returns its reference; throws unless a
 * new application was stored.
 */
export async function submitDirectly(grants: GrantsService, userId: number, iin: string, more: Partial<GrantSubmission> = {}): Promise<string> {
  const submitted = await grants.submit({
    userId, chatId: userId, locale: 'en', submissionKey: `${userId}-1`, programme: 'grant', name: 'Aigerim Test',
    iin, phone: '+77011234567', region: 'karaganda', groups: ['large-family'], members: 5, children: 3,
    sector: 'food', idea: IDEA, amount: 1_000_000, mci: 4325, mciYear: 2026, certificateYear: 2025, ...more,
  });
  if (submitted.result !== 'created') throw new Error(`not submitted: ${submitted.result}`);
  return submitted.ref;
}

export interface FillOptions {
  type?: '1' | '2';
  iin: string;
  name?: string;
  phone?: string;
  region?: string;
  groups?: string;
  members?: string;
  children?: string;
  amount?: string;
  certificate?: string;
  /** Stop before submitting (on the summary). */
  stopAtSummary?: boolean;
}

/** Opens "Family business support" → Apply from the main menu by typed numbers. */
export async function openApplication(app: TestApp, chat: number): Promise<void> {
  await app.command(chat, 'menu');
  const menu = app.last(chat).buttons.flat();
  const entry = menu.findIndex((b) => /Family business|семейного бизнеса|Отбасылық бизнес/.test(b));
  if (entry < 0) throw new Error(`no grant entry in ${menu.join(' | ')}`);
  await app.say(chat, String(entry + 1));
  await app.say(chat, '2');
}

export async function fillApplication(app: TestApp, chat: number, o: FillOptions): Promise<string[]> {
  await openApplication(app, chat);
  await app.say(chat, o.type ?? '1');
  await app.say(chat, o.name ?? 'Aliya Sarsenbayeva');
  await app.say(chat, o.iin);
  await app.say(chat, o.phone ?? '+7 701 123 45 67');
  await app.say(chat, o.region ?? 'Караганда');
  await app.say(chat, o.groups ?? '1');
  await app.say(chat, o.members ?? '6');
  await app.say(chat, o.children ?? '4');
  await app.say(chat, '2');
  await app.say(chat, IDEA);
  await app.say(chat, o.amount ?? '1 500 000');
  if ((o.type ?? '1') === '1') await app.say(chat, o.certificate ?? '2025');
  else await app.say(chat, o.certificate ?? '2');
  await app.say(chat, '1');
  const texts = app.drain(chat);
  if (o.stopAtSummary) return texts;
  await app.say(chat, '1');
  return [...texts, ...app.drain(chat)];
}

/** The reference number in a text, e.g. KMK-2026-000001. */
export function refIn(texts: string[]): string {
  const match = texts.join('\n').match(/KMK-\d{4}-\d{6}/);
  if (!match) throw new Error(`no reference in:\n${texts.join('\n---\n')}`);
  return match[0];
}

/** A strict RFC 4180 reader: throws on a stray quote, so a file cut mid-row would fail. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`stray quote in row ${rows.length + 1}`);
      quoted = true;
    } else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\r' && text[i + 1] === '\n') continue; // CRLF line ends, as RFC 4180 writes them
    else if (c === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else field += c;
  }
  if (quoted) throw new Error('unterminated quote');
  // A final line break ends the last row rather than starting an empty one.
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The CSV export is a job: the tap only queues it. Runs `request` (the taps that ask for it) and
 * waits for the file the job sends to the chat; returns it and what the chat was told at once.
 */
export async function exportedFile(app: TestApp, chat: number, request: () => Promise<void>, timeoutMs = 20_000): Promise<{ file: MessageState; answer: string[] }> {
  const since = app.api.calls.length;
  await request();
  const answer = app.drain(chat);
  await app.api.waitFor((call) => call.method.toLowerCase() === 'senddocument' && Number(call.payload.chat_id) === chat, timeoutMs, since);
  const file = app.api.messagesTo(chat).filter((m) => m.document).at(-1)!;
  app.drain(chat);
  // The file goes out a moment before the job is marked done and removed; until then a new
  // request is "still being prepared". Wait for that, so a test's next export starts afresh.
  const job = `${app.config.REDIS_PREFIX}:${GRANT_EXPORT_QUEUE_NAME}:${grantExportJobId(chat)}`;
  const deadline = Date.now() + timeoutMs;
  while ((await app.redis.exists(job)) === 1) {
    if (Date.now() > deadline) throw new Error(`the export job of ${chat} was not removed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { file, answer };
}
