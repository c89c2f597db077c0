// npm run faq:import -- FILE.json: adds or replaces knowledge base entries by id and prints what
// was added, updated and rejected (with row numbers and reasons). The file is an array of entries
// or { "entries": [...] }, in the format of data/faq.sample.json (see docs/inquiries.md).
// Exit code: 0 all loaded, 1 some rows rejected, 2 nothing imported, 3 stopped part-way.
import { faqImport } from './faq-commands.js';
import { runAsProcess } from './command-io.js';

await runAsProcess(faqImport);
