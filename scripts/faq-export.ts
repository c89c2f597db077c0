// npm run faq:export [-- FILE.json]: writes every knowledge base entry in the import format
// (to FILE, or to standard output), so staff can edit and load it again with faq:import.
import { faqExport } from './faq-commands.js';
import { runAsProcess } from './command-io.js';

await runAsProcess(faqExport);
