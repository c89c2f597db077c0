// npm run centres:import / centres:export, as functions of their arguments and output, so tests
// can run most cases in process (see command-io.ts). Exit codes of the import: 0 all loaded,
// 1 some rows rejected, 2 nothing imported, 3 stopped part-way (run the same file again).
import { exportCentres, exportCentresFile } from '../src/features/rehab/centres-export.js';
import { formatOf } from '../src/features/rehab/centres-format.js';
import { formatReport, ImportFileError, importCentres, readImportFile } from '../src/features/rehab/centres-import.js';
import { stoppedPartWay, type CommandIo } from './command-io.js';
import { onDirectory } from './centres-db.js';

export async function centresImport([file]: string[], io: CommandIo): Promise<number> {
  if (!file) {
    io.err('usage: npm run centres:import -- FILE.json|FILE.csv\n');
    return 2;
  }
  // The file first: a wrong path or encoding is reported without waiting for the database.
  let text: string;
  try {
    text = await readImportFile(file);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    io.err(`Nothing imported: ${error.message}\n`);
    return 2;
  }
  return onDirectory(io, async (connection) => {
    try {
      const report = await importCentres(connection, text, formatOf(file));
      io.out(`${file}\n${formatReport(report)}\n`);
      return report.rejected.length > 0 ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ImportFileError)) return stoppedPartWay(io, error);
      io.err(`Nothing imported: ${error.message}\n`);
      return 2;
    }
  });
}

/** Writes the directory in the import format: CSV when FILE ends in .csv, JSON otherwise; JSON to stdout without FILE. */
export function centresExport([file]: string[], io: CommandIo): Promise<number> {
  return onDirectory(io, async (connection) => {
    if (file) {
      const count = await exportCentresFile(connection, file, formatOf(file));
      io.err(`exported ${count} centres to ${file}\n`);
    } else {
      io.out(await exportCentres(connection, 'json'));
    }
    return 0;
  });
}
