// npm run centres:import -- FILE(.json|.csv): upserts the directory of centres by externalId
// and prints what was added, updated, unchanged and rejected (with row numbers and reasons).
import { connectMongo } from '../src/db/connect.js';
import { formatReport, ImportFileError, importCentresFile } from '../src/services/centres-import.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run centres:import -- FILE.json|FILE.csv');
  process.exit(2);
}
const connection = await connectMongo(process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017/komek');
try {
  const report = await importCentresFile(connection, file);
  console.log(formatReport(report));
  process.exitCode = report.rejected.length > 0 ? 1 : 0;
} catch (error) {
  if (!(error instanceof ImportFileError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  console.error(`Nothing imported: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await connection.close();
}
