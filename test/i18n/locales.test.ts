import { describe, expect, it } from 'vitest';
import { createI18n, loadResources } from '../../src/i18n/index.js';
import { LOCALES, type Locale } from '../../src/telegram/types.js';

const PLURALS: Record<Locale, string[]> = { kk: ['one', 'other'], ru: ['one', 'few', 'many', 'other'], en: ['one', 'other'] };
const SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * Latin words allowed in Kazakh and Russian texts (docs/style-guide.md): only the name of the
 * messenger. Web addresses (enbek.kz, egov.kz), reference numbers (KMK-2026-000123), commands
 * (/menu), law numbers (№ 94-V) and the phone pattern (+7 7XX) are removed before the check; everything else is
 * written in Cyrillic («Бастау Бизнес», «Көмек», ЖСН/ИИН, км).
 */
const LATIN_ALLOWED = new Set(['telegram']);

/** What a Kazakh or Russian text holds besides words: addresses, references, commands, phone patterns. */
function withoutLatinNotation(text: string): string {
  return text
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(kz|com|org|net|ru)\b/gi, ' ')
    .replace(/\/[a-z_]+/g, ' ')
    .replace(/\b[A-Z]{1,4}-\d{4}-\d+\b/g, ' ')
    .replace(/№\s*\d+-[IVX]+\b/g, ' ') // law numbers such as № 94-V are written with Roman numerals
    .replace(/\+7[\dX ]+/g, ' ');
}

function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') for (const [k, v] of flatten(value as Record<string, unknown>, path)) out.set(k, v);
    else throw new Error(`${path} is neither text nor a group`);
  }
  return out;
}

const resources = loadResources();
const namespaces = Object.keys(resources.en);
const flat = Object.fromEntries(LOCALES.map((l) => [l, Object.fromEntries(namespaces.map((ns) => [ns, flatten(resources[l][ns] ?? {})]))])) as Record<
  Locale,
  Record<string, Map<string, string>>
>;

/** Keys without plural suffixes: what must exist in every language. */
function baseKeys(locale: Locale, ns: string): Set<string> {
  return new Set([...(flat[locale][ns]?.keys() ?? [])].map((k) => k.replace(SUFFIX, '')));
}

const vars = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('locales', () => {
  it('have the same namespaces in every language', () => {
    for (const locale of LOCALES) expect(Object.keys(resources[locale]).sort(), locale).toEqual([...namespaces].sort());
  });

  it.each(namespaces)('namespace %s has every key in kk, ru and en', (ns) => {
    const en = baseKeys('en', ns);
    for (const locale of ['kk', 'ru'] as const) {
      const other = baseKeys(locale, ns);
      expect([...en].filter((k) => !other.has(k)), `missing in ${locale}`).toEqual([]);
      expect([...other].filter((k) => !en.has(k)), `only in ${locale}`).toEqual([]);
    }
  });

  it.each(namespaces)('namespace %s has every plural form each language needs, and no others', (ns) => {
    for (const locale of LOCALES) {
      const keys = [...flat[locale][ns]!.keys()];
      const plural = new Set(keys.filter((k) => SUFFIX.test(k)).map((k) => k.replace(SUFFIX, '')));
      for (const base of plural) {
        const forms = keys.filter((k) => k.replace(SUFFIX, '') === base && SUFFIX.test(k)).map((k) => k.match(SUFFIX)![1]).sort();
        expect(forms, `${locale}:${ns}:${base}`).toEqual([...PLURALS[locale]].sort());
      }
      // A plural in one language must be a plural in all of them.
      const enPlural = new Set([...flat.en[ns]!.keys()].filter((k) => SUFFIX.test(k)).map((k) => k.replace(SUFFIX, '')));
      expect([...plural].sort(), `${locale}:${ns} plural keys`).toEqual([...enPlural].sort());
    }
  });

  it.each(namespaces)('namespace %s uses the same {{variables}} in every language', (ns) => {
    for (const [key, en] of flat.en[ns]!) {
      const base = key.replace(SUFFIX, '');
      for (const locale of ['kk', 'ru'] as const) {
        const candidates = [...flat[locale][ns]!.entries()].filter(([k]) => k.replace(SUFFIX, '') === base);
        const union = new Set(candidates.flatMap(([, text]) => vars(text)));
        for (const v of vars(en)) if (v !== 'count') expect(union.has(v), `${locale}:${ns}:${key} lacks {{${v}}}`).toBe(true);
      }
    }
  });

  it.each(namespaces)('namespace %s has no English left in kk or ru', (ns) => {
    for (const locale of ['kk', 'ru'] as const) {
      for (const [key, text] of flat[locale][ns]!) {
        if (/language\.choose$/.test(key)) continue; // deliberately trilingual
        const latin = (withoutLatinNotation(text).match(/[A-Za-z]+/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w.toLowerCase()));
        expect(latin, `${locale}:${ns}:${key}: "${text}"`).toEqual([]);
      }
    }
  });

  it.each(namespaces)('namespace %s gives every {{count}} its plural forms', (ns) => {
    // "2 символов", "1 лет": a count without plural forms reads wrong for some numbers.
    for (const locale of LOCALES) {
      for (const [key, text] of flat[locale][ns]!) {
        if (/\{\{\s*count\s*\}\}/.test(text)) expect(SUFFIX.test(key), `${locale}:${ns}:${key} has {{count}} but no plural forms`).toBe(true);
      }
    }
  });

  it('renders every Russian plural with the number itself, for 1, 2, 5, 11, 21, 22, 25, 31 and 111', async () => {
    // A `_one` form is also used for 21, 31, 101…: it must carry {{count}} and no word that fits 1 only.
    const { t } = await createI18n(resources);
    const ru = t('ru');
    for (const ns of namespaces) {
      const bases = new Set([...flat.ru[ns]!.keys()].filter((k) => SUFFIX.test(k)).map((k) => k.replace(SUFFIX, '')));
      for (const base of bases) {
        for (const count of [1, 2, 5, 11, 21, 22, 25, 31, 111]) {
          const text = ru(`${ns}:${base}`, { count });
          expect(text, `ru:${ns}:${base} for ${count}`).toContain(String(count));
          // The sentence with the number: no numeral word, and no «он»/«она» that refers to one thing.
          const sentence = text.split(/(?<=[.!?:])\s/).find((part) => part.includes(String(count))) ?? '';
          expect(sentence, `ru:${ns}:${base} for ${count}`).not.toMatch(/(^|[^а-яё])(одна|один|одно|одного|одной|он|она)([^а-яё]|$)/i);
        }
      }
    }
  });

  it('agrees the nouns of the counts the issue named, in Russian, Kazakh and English', async () => {
    const { t } = await createI18n(resources);
    const [ru, kk, en] = [t('ru'), t('kk'), t('en')];
    const invited = (count: number) => ru('volunteer:mission-form.confirm.prompt', { count });
    expect(invited(1)).toContain('Приглашение получит 1 подходящий волонтёр.');
    expect(invited(21)).toContain('Приглашение получит 21 подходящий волонтёр.');
    expect(invited(31)).toContain('Приглашение получит 31 подходящий волонтёр.');
    expect(invited(3)).toContain('Приглашения получат 3 подходящих волонтёра.');
    expect(invited(11)).toContain('Приглашения получат 11 подходящих волонтёров.');
    expect(ru('volunteer:signup.open-missions', { count: 21 })).toContain('миссий: 21.');
    // "2 символов", "1 лет": every count agrees with its noun.
    expect(ru('errors:text.too-short', { count: 2 })).toContain('2 символа');
    expect(ru('errors:text.too-short', { count: 21 })).toContain('21 символ.');
    expect(ru('errors:too-long', { count: 2000 })).toContain('2000 символов');
    expect(ru('errors:too-long', { count: 1024 })).toContain('1024 символа');
    expect(ru('broadcast:text.prompt', { count: 4096, language: 'русский' })).toContain('4096 знаков');
    expect(ru('grant:iin.under-18', { count: 21 })).toContain('21 года');
    expect(ru('grant:iin.under-18', { count: 18 })).toContain('18 лет');
    const loan = (count: number) => ru('grant:eligibility.microloan', { count, where: 'Актау', higher: '', higherMci: 1, other: '', otherMci: 1, rate: 6 });
    expect(loan(5)).toContain('срок — до 5 лет');
    expect(loan(1)).toContain('срок — до 1 года');
    expect(loan(3)).toContain('срок — до 3 лет');
    expect(en('grant:eligibility.microloan', { count: 1, where: 'Aktau', higher: '', higherMci: 1, other: '', otherMci: 1, rate: 6 })).toContain('for up to 1 year.');
    expect(kk('grant:eligibility.microloan', { count: 5, where: 'Ақтау', higher: '', higherMci: 1, other: '', otherMci: 1, rate: 6 })).toContain('мерзімі — 5 жылға дейін');
    // Kazakh: a noun after a number stays singular, so both forms read right for any number.
    for (const count of [1, 2, 21]) expect(kk('volunteer:hours.total', { count })).toBe(`Барлығы: ${count} волонтерлік сағат.`);
  });

  it('keeps the Latin check honest: it catches Latin words and lets addresses and references through', () => {
    const latin = (text: string) => (withoutLatinNotation(text).match(/[A-Za-z]+/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w.toLowerCase()));
    expect(latin('Enbek порталы, IT, Telegram id')).toEqual(['Enbek', 'IT', 'id']);
    expect(latin('enbek.kz, egov.kz, KMK-2026-000123, Q-2026-000123, /menu, +7 7XX XXX XX XX, Telegram')).toEqual([]);
  });

  it('never uses the word "инвалид" on its own: person-first wording', () => {
    for (const locale of ['kk', 'ru'] as const) {
      for (const ns of namespaces) {
        for (const [key, text] of flat[locale][ns]!) {
          expect(/(^|[^а-яё])инвалид(ы|ов|ам|ами|ах|а|у|ом|е)?([^а-яё]|$)/i.test(text), `${locale}:${ns}:${key}`).toBe(false);
        }
      }
    }
    for (const ns of namespaces) for (const [key, text] of flat.en[ns]!) expect(/\b(the )?disabled (people|person|children|child)\b|\binvalids?\b/i.test(text), `en:${ns}:${key}`).toBe(false);
  });

  it('names the bot with a noun in kk and ru, so «Көмек» is not read as the word "help"', () => {
    const named = /«Көмек» (бот|сервис)|(бот|бота|боту|ботом|боте|сервис|сервиса|сервисе) «Көмек»/;
    for (const locale of ['kk', 'ru'] as const) {
      for (const ns of namespaces) {
        for (const [key, text] of flat[locale][ns]!) {
          const uses = text.match(/«Көмек»/g)?.length ?? 0;
          const withNoun = text.match(new RegExp(named.source, 'gi'))?.length ?? 0;
          expect(withNoun, `${locale}:${ns}:${key}: "${text}"`).toBe(uses);
        }
      }
    }
  });

  it('never puts a Kazakh postposition that needs a case ending straight after a {{variable}}', () => {
    // «{{until}} дейін», «{{since}} бастап» need «-ға дейін», «-нан бастап», which cannot be glued
    // to a filled-in date or name; such texts say «Жарамдылық мерзімі: {{until}}» instead.
    for (const ns of namespaces) {
      for (const [key, text] of flat.kk[ns]!) {
        expect(/\{\{\w+\}\}\s+(дейін|шейін|бастап|кейін|бері|соң|қарай)(?![а-яәғқңөұүһі])/i.test(text), `kk:${ns}:${key}: "${text}"`).toBe(false);
      }
    }
  });

  it('keeps one word per thing and none of the wordings the language review turned down (docs/style-guide.md)', () => {
    const turnedDown: Record<'kk' | 'ru', Array<[RegExp, string]>> = {
      kk: [
        [/түйме/i, 'батырма, not түйме (a clothes button)'],
        [/(^|[^а-яәғқңөұүһі])ым тілі/i, 'ымдау тілі, not ым тілі'],
        [/қамқоршы/i, 'заңды өкіл, not қамқоршы'],
        [/(^|[^а-яәғқңөұүһі-])жоба/i, 'аяқталмаған нысан, not жоба (also "project")'],
        [/нақты күн/i, 'күнтізбеде бар күн, not нақты күн'],
        [/Бас тартылды/, 'Толтыру тоқтатылды, not Бас тартылды'],
        [/таңдау алынады/, 'таңдау жойылады, not таңдау алынады'],
        [/Дайын:/, 'no calque of «Готово:»'],
        [/Қайта оралуыңызбен/, 'Қайта келгеніңізге қуаныштымыз'],
        [/көмектесе алады/, 'the reader is addressed as сіз, not in the third person'],
        [/\d+ сан(ы|нан|мен)?([^а-яәғқңөұүһі]|$)/i, 'цифр for digits'],
        [/₸/, 'тг / теңге: the sign is missing from old fonts'],
        [/ЖСН-(ға|ды|да|дан|ның|ымен)(?![а-яәғқңөұүһі])/, 'ЖСН is read «жеэсэн»: ЖСН-ге, ЖСН-ді, ЖСН-де, ЖСН-нің'],
        [/деректер[а-яәғқңөұүһі]*\s+өшір/i, 'data are deleted with жою; өшіру is for turning announcements off'],
        [/жұмысқа алын/i, '«жұмысқа алу» is "to hire": a question is «қарауға алынды»'],
        [/Жақсы жаңалық/, 'Қуанышты хабар, not a calque of "Good news"'],
      ],
      ru: [
        [/\((на|а)\)/, '«Даю согласие», not a bracketed gender ending'],
        [/опекун/i, 'законный представитель, not опекун'],
        [/₸/, 'тг / тенге: the sign is missing from old fonts'],
      ],
    };
    for (const locale of ['kk', 'ru'] as const) {
      for (const ns of namespaces) {
        for (const [key, text] of flat[locale][ns]!) {
          for (const [pattern, rule] of turnedDown[locale]) expect(pattern.test(text), `${locale}:${ns}:${key}: ${rule}: "${text}"`).toBe(false);
        }
      }
    }
  });

  it('has no empty texts', () => {
    for (const locale of LOCALES) for (const ns of namespaces) for (const [key, text] of flat[locale][ns]!) expect(text.trim(), `${locale}:${ns}:${key}`).not.toBe('');
  });
});
