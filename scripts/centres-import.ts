// npm run centres:import -- FILE(.json|.csv): upserts the directory of centres by externalId
// and prints what was added, updated, unchanged and rejected (with row numbers and reasons).
// Exit code: 0 all loaded, 1 some rows rejected, 2 nothing imported, 3 stopped part-way.
import { centresImport } from './centres-commands.js';
import { runAsProcess } from './command-io.js';

await runAsProcess(centresImport);
