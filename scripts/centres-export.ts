// npm run centres:export -- [FILE]: writes the directory in the import format (CSV when FILE
// ends in .csv, JSON otherwise; JSON to stdout without FILE), so export → import changes nothing.
import { centresExport } from './centres-commands.js';
import { runAsProcess } from './command-io.js';

await runAsProcess(centresExport);
