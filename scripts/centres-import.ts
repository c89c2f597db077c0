// npm run centres:import -- FILE(.json|.csv): upserts the directory of centres by externalId
// and prints what was added, updated, unchanged and rejected (with row numbers and reasons).
// Exit code: 0 all loaded, 1 some rows rejected, 2 nothing imported.
import { formatOf } from '../src/features/rehab/centres-format.js';
import { formatReport, ImportFileError, importCentres, readImportFile } from '../src/features/rehab/centres-import.js';
import { connectDirectory } from './centres-db.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run centres:import -- FILE.json|FILE.csv');
  process.exit(2);
}
// The file first: a wrong path or encoding is reported without waiting for the database.
let text: string;
try {
  text = await readImportFile(file);
} catch (error) {
  if (!(error instanceof ImportFileError)) throw error;
  console.error(`Nothing imported: ${error.message}`);
  process.exit(2);
}
const connection = await connectDirectory();
try {
  const report = await importCentres(connection, text, formatOf(file));
  console.log(`${file}\n${formatReport(report)}`);
  process.exitCode = report.rejected.length > 0 ? 1 : 0;
} catch (error) {
  if (!(error instanceof ImportFileError)) throw error;
  console.error(`Nothing imported: ${error.message}`);
  process.exitCode = 2;
} finally {
  await connection.close();
}
