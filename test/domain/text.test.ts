import { describe, it, expect } from 'vitest';
import { cleanText, isMeaningfulName, latinSkeleton, normalizeForMatch } from '../../src/domain/text.js';

describe('normalizeForMatch', () => {
  it('folds Kazakh letters and ё onto Russian ones', () => {
    expect(normalizeForMatch('Ақтөбе')).toBe(normalizeForMatch('Актобе'));
    expect(normalizeForMatch('ӘҒҚҢӨҰҮҺІЁ')).toBe('агкноуухие');
    expect(normalizeForMatch('Волонтёр')).toBe('волонтер');
  });

  it('keeps й and drops stress marks and Latin diacritics', () => {
    expect(normalizeForMatch('Мой')).toBe('мой');
    expect(normalizeForMatch('Алма́ты')).toBe('алматы');
    expect(normalizeForMatch('Öskemen Şymkent')).toBe('oskemen symkent');
  });

  it('treats punctuation and emoji as spaces and collapses them', () => {
    expect(normalizeForMatch('  ✅ Подать   заявку! ')).toBe('подать заявку');
    expect(normalizeForMatch('Нур-Султан')).toBe('нур султан');
    expect(normalizeForMatch('1️⃣ Бастау')).toBe('1 бастау');
    expect(normalizeForMatch('👨‍👩‍👧')).toBe('');
  });

  it('removes apostrophes instead of splitting words', () => {
    expect(normalizeForMatch("Ust'-Kamenogorsk")).toBe('ust kamenogorsk');
    expect(normalizeForMatch('O’Neil')).toBe('oneil');
  });

  it('reads Latin look-alikes inside Cyrillic words as the Cyrillic letters', () => {
    expect(normalizeForMatch('Келiсемiн')).toBe(normalizeForMatch('Келісемін'));
    expect(normalizeForMatch('Отмeна')).toBe('отмена');
    expect(normalizeForMatch('ƏЛИЯ Hұрланқызы')).toBe(normalizeForMatch('Әлия Нұрланқызы'));
    expect(normalizeForMatch('һ Ɵскемен')).toBe(normalizeForMatch('һ Өскемен'));
    // Words with no Cyrillic letter are English or Kazakh Latin, and stay as typed.
    expect(normalizeForMatch('Shymkent Qaragandy')).toBe('shymkent qaragandy');
  });

  it('gives Kazakh in Latin letters and in Cyrillic the same Latin skeleton', () => {
    const pairs: Array<[string, string]> = [['Artqa', 'Артқа'], ['Kelisemin', 'Келісемін'], ['Joq', 'Жоқ'], ['Zhoq', 'Жоқ'], ['Iä', 'Иә'], ['Basty mäzir', 'Басты мәзір'], ['Qaraǵandy', 'Қарағанды']];
    for (const [latin, cyrillic] of pairs) {
      expect(latinSkeleton(latin), latin).toBe(latinSkeleton(cyrillic));
    }
    expect(latinSkeleton('Ересек')).not.toBe(latinSkeleton('Бала'));
  });

  it('matches a typed answer to its button label', () => {
    expect(normalizeForMatch('басты мәзір')).toBe(normalizeForMatch('🏠 Басты мәзір'));
    expect(normalizeForMatch('ОҢАЛТУ ОРТАЛЫҒЫ')).toBe(normalizeForMatch('Оңалту орталығы'));
  });
});

describe('cleanText', () => {
  it('trims and collapses whitespace runs', () => {
    expect(cleanText('  Hello \t  world  ')).toBe('Hello world');
  });

  it('keeps single newlines and collapses blank lines', () => {
    expect(cleanText('line one  \n\n\n  line two\r\nline three')).toBe('line one\n\nline two\nline three');
    expect(cleanText('paragraph one\n \nparagraph two')).toBe('paragraph one\n\nparagraph two');
  });

  it('strips control and zero-width characters', () => {
    expect(cleanText('a\u0000b\u0007c\u001Bd')).toBe('abcd');
    expect(cleanText('\uFEFFзая\u200Bвка\u2060')).toBe('заявка');
    expect(cleanText('Ali\u00ADbek\u200E')).toBe('Alibek');
  });

  it('keeps the joiner inside emoji sequences only', () => {
    expect(cleanText('👨‍👩‍👧 family')).toBe('👨‍👩‍👧 family');
    expect(cleanText('ab\u200Dc')).toBe('abc');
  });

  it('normalises non-breaking spaces to plain ones', () => {
    expect(cleanText('1\u00A0500\u202F000')).toBe('1 500 000');
  });
});

describe('isMeaningfulName', () => {
  it.each([
    'Әлібек Нұрланұлы',
    'Иванов Иван Иванович',
    'Иванов И. И.',
    'Anna-Maria O’Neil',
    "D'Artagnan",
    'Ли',
    'Жанна Ёлкина',
    'Ұлжан Үсенова-Һасенова',
  ])('accepts %j', (name) => {
    expect(isMeaningfulName(name)).toBe(true);
  });

  it.each([
    ['too short', 'А'],
    ['one letter with separators', 'А.'],
    ['digits', 'Иван 2'],
    ['phone number', '+77011234567'],
    ['command', '/start'],
    ['emoji', 'Айгерім 🌸'],
    ['starts with a separator', '-Иван'],
    ['only separators', "'-. "],
    ['other scripts', 'محمد علي'],
    ['multi-line', 'Иван\nИванов'],
    ['too long', 'А'.repeat(101)],
    ['empty', '   '],
  ])('rejects %s', (_label, name) => {
    expect(isMeaningfulName(name)).toBe(false);
  });

  it('accepts exactly 100 characters', () => {
    expect(isMeaningfulName('А'.repeat(100))).toBe(true);
  });
});
