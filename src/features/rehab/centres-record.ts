import { z } from 'zod';
import { formatPhone, normalizePhone } from '../../domain/phone.js';
import { isInKazakhstanBox } from '../../domain/geo.js';
import { isRegionKey, matchRegion, type RegionKey } from '../../domain/regions.js';
import { cleanText } from '../../domain/text.js';
import { ACCESSIBILITY, AGE_GROUPS, CENTRE_KINDS, CENTRE_SERVICES, CENTRE_SETTINGS, FEES, type AccessibilityFeature, type AgeGroup, type CentreKind, type CentreService, type CentreSetting, type Fee } from './centre-kinds.js';
import type { Locale } from '../../telegram/types.js';

/**
 * One directory entry as files carry it (import, export, the sample): the shape both the
 * importer's validation and the exporter agree on, so export → import changes nothing.
 */
export interface LocalizedText {
  kk?: string;
  ru?: string;
  en?: string;
}

export interface CentreInput {
  externalId: string;
  sample: boolean;
  region: RegionKey;
  kind: CentreKind;
  settings: CentreSetting[];
  ageGroups: AgeGroup[];
  name: LocalizedText;
  address: LocalizedText;
  latitude: number;
  longitude: number;
  phones: string[];
  website?: string;
  hours?: LocalizedText;
  services: CentreService[];
  accessibility: AccessibilityFeature[];
  fee: Fee;
}

/** A directory entry as the bot reads it. */
export interface CentreView extends CentreInput {
  id: string;
}

/**
 * "+7XXXXXXXXXX" for a Kazakhstan mobile or landline number. Every Kazakhstan number is +7 7…
 * (mobiles 7XX, landlines area codes 7XXX), which also keeps out Russian +7 numbers typed by mistake.
 */
export function normalizeContactPhone(raw: string): string | null {
  let digits = raw.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  else if (digits.length === 10 && digits.startsWith('7')) digits = `7${digits}`;
  return /^77\d{9}$/.test(digits) ? `+${digits}` : null;
}

/**
 * Written the way Telegram recognises as a phone number (it becomes tappable):
 * "+7 701 123 45 67" for mobiles, "+7 7172 123456" for landlines, "+7 727 123 4567" for Almaty.
 */
export function formatContactPhone(phone: string): string {
  if (normalizePhone(phone)) return formatPhone(phone);
  const n = normalizeContactPhone(phone);
  if (!n) return phone;
  const rest = n.slice(2);
  if (rest.startsWith('727')) return `+7 727 ${rest.slice(3, 6)} ${rest.slice(6)}`;
  return `+7 ${rest.slice(0, 4)} ${rest.slice(4)}`;
}

/** The text in the user's language, else the nearest one we have (Russian is the lingua franca). */
export function pick(text: LocalizedText | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] || text.ru || text.kk || text.en || '';
}

/** The operator sees what the row had, not only what was expected. */
function notOneOf(input: unknown, allowed: readonly string[]): string {
  const given = input === undefined || input === '' ? 'is missing' : `"${String(input)}" is not allowed`;
  return `${given}; must be one of: ${allowed.join(', ')}`;
}

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? undefined : typeof v === 'string' ? cleanText(v) || undefined : v),
    z.string().max(max, `longer than ${max} characters`).optional(),
  );

const localizedSchema = (max: number) =>
  z
    .object({ kk: optionalText(max), ru: optionalText(max), en: optionalText(max) })
    .refine((t) => Boolean(t.kk || t.ru || t.en), 'needs text in at least one language (kk, ru or en)');

/** Lists arrive as arrays (JSON) or "a; b | c" (CSV); duplicates are dropped, order kept. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => {
      const items = typeof v === 'string' ? v.split(/[;|]/) : v === undefined || v === null ? [] : v;
      if (!Array.isArray(items)) return items;
      const cleaned = items.map((i) => (typeof i === 'string' ? i.trim() : i)).filter((i) => i !== '');
      return [...new Set(cleaned)];
    },
    z.array(z.enum(values, { error: (issue) => `unknown value "${String(issue.input)}"; allowed: ${values.join(', ')}` })),
  );

const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replace(',', '.')) : v),
    z.number({ error: 'must be a number' }).min(min).max(max),
  );

const booleanish = z.preprocess((v) => {
  if (typeof v !== 'string') return v ?? false;
  const s = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'да', 'иә'].includes(s)) return true;
  if (['false', '0', 'no', 'нет', 'жоқ', ''].includes(s)) return false;
  return v;
}, z.boolean({ error: 'must be true or false' }));

const phonesSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[;|]/) : (v ?? [])),
  z
    .array(z.string())
    .transform((items, ctx) => {
      const phones: string[] = [];
      for (const item of items.map((i) => i.trim()).filter(Boolean)) {
        const phone = normalizeContactPhone(item);
        if (!phone) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not a Kazakhstan phone number (+7 7XX…)` });
          return z.NEVER;
        }
        if (!phones.includes(phone)) phones.push(phone);
      }
      return phones;
    }),
);

const websiteSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || undefined : (v ?? undefined)),
  z
    .string()
    .max(300)
    .refine((s) => {
      try {
        const url = new URL(s);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    }, 'must be a web address starting with https:// or http://')
    .optional(),
);

export const centreInputSchema = z
  .object({
    externalId: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v),
      z.string({ error: 'is missing' }).regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    ),
    sample: booleanish,
    region: z.preprocess(
      (v) => (typeof v === 'string' ? (isRegionKey(v.trim()) ? v.trim() : (matchRegion(v) ?? v)) : v),
      z.string({ error: 'is missing' }).refine(isRegionKey, {
        error: (issue) => `"${String(issue.input)}" is not one of the 20 regions (use a key such as "karaganda" or a name such as "Карагандинская область")`,
      }),
    ),
    kind: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.enum(CENTRE_KINDS, { error: (issue) => notOneOf(issue.input, CENTRE_KINDS) })),
    settings: list(CENTRE_SETTINGS),
    ageGroups: list(AGE_GROUPS).refine((a) => a.length > 0, 'needs children, adults or both'),
    name: localizedSchema(200),
    address: localizedSchema(300),
    latitude: coordinate(-90, 90),
    longitude: coordinate(-180, 180),
    phones: phonesSchema,
    website: websiteSchema,
    hours: z.preprocess((v) => {
      if (!v || typeof v !== 'object') return undefined;
      const t = v as Record<string, unknown>;
      return [t.kk, t.ru, t.en].some((s) => typeof s === 'string' && s.trim() !== '') ? v : undefined;
    }, localizedSchema(200).optional()),
    services: list(CENTRE_SERVICES),
    accessibility: list(ACCESSIBILITY),
    fee: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.enum(FEES, { error: (issue) => notOneOf(issue.input, FEES) })),
  })
  .refine((c) => isInKazakhstanBox(c), { message: 'the coordinates are outside Kazakhstan (latitude and longitude swapped?)', path: ['latitude'] });

/** "region: is not one of the 20 regions; phones: ..." — one line an operator can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ');
}

function canonicalText(t: LocalizedText | null | undefined): LocalizedText | undefined {
  if (!t) return undefined;
  const out: LocalizedText = {};
  for (const key of ['kk', 'ru', 'en'] as const) if (t[key]) out[key] = t[key];
  return Object.keys(out).length ? out : undefined;
}

/**
 * Fixed key order and no empty fields: the form written by export and compared by import,
 * so "unchanged" means equal, whatever the database or the file added around it.
 */
export function canonical(c: CentreInput): CentreInput {
  const out: CentreInput = {
    externalId: c.externalId,
    sample: Boolean(c.sample),
    region: c.region,
    kind: c.kind,
    settings: [...(c.settings ?? [])],
    ageGroups: [...(c.ageGroups ?? [])],
    name: canonicalText(c.name) ?? {},
    address: canonicalText(c.address) ?? {},
    latitude: c.latitude,
    longitude: c.longitude,
    phones: [...(c.phones ?? [])],
    services: [...(c.services ?? [])],
    accessibility: [...(c.accessibility ?? [])],
    fee: c.fee,
  };
  if (c.website) out.website = c.website;
  const hours = canonicalText(c.hours);
  if (hours) out.hours = hours;
  return out;
}

export function sameCentre(a: CentreInput, b: CentreInput): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
