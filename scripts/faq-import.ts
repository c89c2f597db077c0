// npm run faq:import -- FILE.json: adds or replaces knowledge base entries by id and prints what
// was added, updated and rejected (with row numbers and reasons). The file is an array of entries
// or { "entries": [...] }, in the format of data/faq.sample.json (see docs/inquiries.md).
// Exit code: 0 all loaded, 1 some rows rejected, 2 nothing imported.
import { readFile } from 'node:fs/promises';
import { connectDirectory } from './centres-db.js';
import { importFaq, formatFaqReport } from '../src/features/inquiries/faq-io.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run faq:import -- FILE.json');
  process.exit(2);
}
let text: string;
try {
  text = await readFile(file, 'utf8');
} catch (error) {
  console.error(`Nothing imported: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  process.exit(2);
}
const connection = await connectDirectory();
try {
  const report = await importFaq(connection, text);
  if (report === 'not-json') {
    console.error('Nothing imported: the file is not JSON (an array of entries, or { "entries": [...] }).');
    process.exitCode = 2;
  } else {
    console.log(`${file}\n${formatFaqReport(report)}`);
    process.exitCode = report.rejected.length > 0 ? (report.added + report.updated > 0 ? 1 : 2) : 0;
  }
} finally {
  await connection.close();
}
