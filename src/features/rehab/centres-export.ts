import { writeFile } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { centreModel } from './centre.model.js';
import { writeCsv } from './centres-csv.js';
import { centreToRow, CSV_COLUMNS, type FileFormat } from './centres-format.js';
import { canonical, type CentreInput } from './centres-record.js';

/** The whole directory in the import format, ordered by externalId so diffs stay readable. */
export async function exportCentres(connection: Connection, format: FileFormat): Promise<string> {
  const docs = await centreModel(connection).find().sort({ externalId: 1 }).lean();
  const centres = docs.map((doc) => canonical(doc as unknown as CentreInput));
  if (format === 'csv') return writeCsv([[...CSV_COLUMNS], ...centres.map(centreToRow)]);
  return `${JSON.stringify(centres, null, 2)}\n`;
}

export async function exportCentresFile(connection: Connection, file: string, format: FileFormat): Promise<number> {
  const text = await exportCentres(connection, format);
  await writeFile(file, text, 'utf8');
  return await centreModel(connection).countDocuments();
}
