// npm run centres:export -- [FILE]: writes the directory in the import format (CSV when FILE
// ends in .csv, JSON otherwise; JSON to stdout without FILE), so export → import changes nothing.
import { exportCentres, exportCentresFile } from '../src/features/rehab/centres-export.js';
import { formatOf } from '../src/features/rehab/centres-format.js';
import { connectDirectory } from './centres-db.js';

const file = process.argv[2];
const connection = await connectDirectory();
try {
  if (file) {
    const count = await exportCentresFile(connection, file, formatOf(file));
    console.error(`exported ${count} centres to ${file}`);
  } else {
    process.stdout.write(await exportCentres(connection, 'json'));
  }
} finally {
  await connection.close();
}
