import type { CentreInput, LocalizedText } from './centres-record.js';

/** CSV columns, in the order export writes them. Lists are separated by ";" (import also takes "|"). */
export const CSV_COLUMNS = [
  'externalId',
  'sample',
  'region',
  'kind',
  'settings',
  'ageGroups',
  'name_kk',
  'name_ru',
  'name_en',
  'address_kk',
  'address_ru',
  'address_en',
  'latitude',
  'longitude',
  'phones',
  'website',
  'hours_kk',
  'hours_ru',
  'hours_en',
  'services',
  'accessibility',
  'fee',
] as const;

const LOCALIZED = ['name', 'address', 'hours'] as const;

export type FileFormat = 'csv' | 'json';

export function formatOf(file: string): FileFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'json';
}

/** A CSV row as the nested object the validator reads (still unvalidated strings). */
export function rowToRaw(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const value = fields[index] ?? '';
    const localized = /^(name|address|hours)_(kk|ru|en)$/.exec(column);
    if (localized) {
      const [, field, locale] = localized as unknown as [string, string, string];
      const text = (raw[field] ??= {}) as Record<string, string>;
      text[locale] = value;
    } else raw[column] = value;
  });
  return raw;
}

export function centreToRow(c: CentreInput): string[] {
  const text = (t: LocalizedText | undefined, locale: keyof LocalizedText) => t?.[locale] ?? '';
  return CSV_COLUMNS.map((column) => {
    const localized = /^(name|address|hours)_(kk|ru|en)$/.exec(column);
    if (localized) return text(c[localized[1] as (typeof LOCALIZED)[number]], localized[2] as keyof LocalizedText);
    const value = c[column as keyof CentreInput];
    if (Array.isArray(value)) return value.join(';');
    if (value === undefined) return '';
    return String(value);
  });
}
