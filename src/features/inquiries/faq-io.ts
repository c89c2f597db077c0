import type { Connection } from 'mongoose';
import { FaqService, type ImportReport } from './faq.service.js';

/** The knowledge base for the command-line tools: records only, no bot and no key needed. */
const faqService = (connection: Connection) => new FaqService({ connection, now: () => new Date() });

/** Accepts an array of entries or { "entries": [...] } (the shape faq:export writes). */
export async function importFaq(connection: Connection, text: string): Promise<ImportReport | 'not-json'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not-json';
  }
  const entries = typeof parsed === 'object' && parsed !== null && 'entries' in parsed ? (parsed).entries : parsed;
  if (!Array.isArray(entries)) return 'not-json';
  return faqService(connection).importEntries(entries);
}

export async function exportFaq(connection: Connection): Promise<string> {
  const entries = await faqService(connection).all();
  return `${JSON.stringify({ entries }, null, 2)}\n`;
}

export function formatFaqReport(report: ImportReport): string {
  const lines = [`added: ${report.added}`, `updated: ${report.updated}`, `rejected: ${report.rejected.length}`];
  for (const r of report.rejected) lines.push(`  row ${r.row}${r.id ? ` (${r.id})` : ''}: ${r.problem}`);
  return lines.join('\n');
}
