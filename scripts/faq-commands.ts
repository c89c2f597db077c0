// npm run faq:import / faq:export, as functions of their arguments and output, so tests can run
// most cases in process (see command-io.ts). The file is an array of entries or
// { "entries": [...] }, in the format of data/faq.sample.json (see docs/inquiries.md).
// Exit codes of the import: 0 all loaded, 1 some rows rejected, 2 nothing imported, 3 stopped
// part-way (run the same file again).
import { readFile, writeFile } from 'node:fs/promises';
import { exportFaq, formatFaqReport, importFaq } from '../src/features/inquiries/faq-io.js';
import { stoppedPartWay, type CommandIo } from './command-io.js';
import { onDirectory } from './centres-db.js';

export async function faqImport([file]: string[], io: CommandIo): Promise<number> {
  if (!file) {
    io.err('usage: npm run faq:import -- FILE.json\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.err(`Nothing imported: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return 2;
  }
  return onDirectory(io, async (connection) => {
    try {
      const report = await importFaq(connection, text);
      if (report === 'not-json') {
        io.err('Nothing imported: the file is not JSON (an array of entries, or { "entries": [...] }).\n');
        return 2;
      }
      io.out(`${file}\n${formatFaqReport(report)}\n`);
      return report.rejected.length > 0 ? (report.added + report.updated > 0 ? 1 : 2) : 0;
    } catch (error) {
      return stoppedPartWay(io, error);
    }
  });
}

/** Every entry in the import format, to FILE or to standard output, so staff can edit and load it again. */
export function faqExport([file]: string[], io: CommandIo): Promise<number> {
  return onDirectory(io, async (connection) => {
    const json = await exportFaq(connection);
    if (file) {
      await writeFile(file, json);
      io.err(`${file}: ${(JSON.parse(json) as { entries: unknown[] }).entries.length} entries\n`);
    } else io.out(json);
    return 0;
  });
}
