// The playground page's own words (src/playground/page/i18n.js, plain JavaScript for the browser)
// held to the bot's rules for texts: every text in all three languages, none empty, a text with
// values gives them all back, and no Latin words left in Kazakh or Russian.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findInRepo } from '../../src/paths.js';

type Texts = Record<string, unknown>;

/** The messenger's name, and the name printed on the key (as the bot's texts allow only Telegram). */
const ALLOWED_LATIN = new Set(['Telegram', 'Enter']);

async function pageTexts(): Promise<Record<'en' | 'ru' | 'kk', Texts>> {
  // A path, not a module name: the page's files are served as they are and have no types.
  const module = (await import(pathToFileURL(findInRepo('src/playground/page/i18n.js')).href)) as { TEXTS: Record<'en' | 'ru' | 'kk', Texts> };
  return module.TEXTS;
}

/** Each text by its dotted key; a function is called with sample values, which must all come back. */
function flatten(tree: Texts, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'function') {
      const samples = Array.from({ length: value.length }, (_, i) => `VALUE${i}`);
      const text = String((value as (...args: string[]) => unknown)(...samples));
      for (const sample of samples) expect(text, path).toContain(sample);
      out.set(path, samples.reduce((t, s) => t.replaceAll(s, ' '), text));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of flatten(value as Texts, path)) out.set(k, v);
    } else {
      out.set(path, String(value));
    }
  }
  return out;
}

describe('playground page texts', () => {
  it('has every text in Kazakh, Russian and English, none empty', async () => {
    const texts = await pageTexts();
    const en = flatten(texts.en);
    for (const locale of ['kk', 'ru'] as const) {
      const other = flatten(texts[locale]);
      expect([...other.keys()].sort(), locale).toEqual([...en.keys()].sort());
    }
    for (const locale of ['en', 'kk', 'ru'] as const) {
      for (const [key, text] of flatten(texts[locale])) expect(text.trim(), `${locale}:${key}`).not.toBe('');
    }
  });

  it('leaves no Latin words in Kazakh or Russian (commands and key names aside)', async () => {
    const texts = await pageTexts();
    for (const locale of ['kk', 'ru'] as const) {
      for (const [key, text] of flatten(texts[locale])) {
        const words = text.replace(/\/[a-z_]+/g, ' ').match(/[A-Za-z]+/g) ?? [];
        expect(words.filter((w) => !ALLOWED_LATIN.has(w)), `${locale}:${key}: "${text}"`).toEqual([]);
      }
    }
  });
});
