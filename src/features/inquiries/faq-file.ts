import { readFileSync } from 'node:fs';
import { findInRepo } from '../../paths.js';
import { faqFileSchema, type FaqEntry } from './faq-entry.js';

/** The sample knowledge base shipped in data/, loaded into an empty collection at start-up. */
export function loadSampleFaq(path = findInRepo('data/faq.sample.json')): FaqEntry[] {
  return faqFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).entries;
}
