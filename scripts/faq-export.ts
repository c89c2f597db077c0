// npm run faq:export [-- FILE.json]: writes every knowledge base entry in the import format
// (to FILE, or to standard output), so staff can edit and load it again with faq:import.
import { writeFile } from 'node:fs/promises';
import { connectDirectory } from './centres-db.js';
import { exportFaq } from '../src/features/inquiries/faq-io.js';

const file = process.argv[2];
const connection = await connectDirectory();
try {
  const json = await exportFaq(connection);
  if (file) {
    await writeFile(file, json);
    console.error(`${file}: ${JSON.parse(json).entries.length} entries`);
  } else process.stdout.write(json);
} finally {
  await connection.close();
}
