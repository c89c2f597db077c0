import { describe, expect, it } from 'vitest';
import { fileNameHoldsLongNumber, hideLongNumbers, holdsLongNumber } from '../../src/domain/personal-numbers.js';
import { maskIinsIn } from '../../src/features/grant/free-text.js';

const hide = (text: string) => hideLongNumbers(text, (digits) => `[hidden …${digits.slice(-4)}]`);

describe('hideLongNumbers: IINs and cards hidden for the staff group, phones kept', () => {
  it('an IIN written plain', () => {
    expect(hide('My IIN is 900101300123.')).toBe('My IIN is [hidden …0123].');
  });

  it('an IIN in groups, spaced or hyphenated, is one number', () => {
    expect(hide('ИИН 900101 300 123')).toBe('ИИН [hidden …0123]');
    expect(hide('ЖСН: 900101-300-123')).toBe('ЖСН: [hidden …0123]');
    expect(hide('IIN 900.101.300.123 or 900101 (300) 123')).toBe('IIN [hidden …0123] or [hidden …0123]');
  });

  it('full-width digits are read as digits and hidden with the text around kept as written', () => {
    expect(hide('ИИН ９００１０１３００１２３ пожалуйста')).toBe('ИИН [hidden …0123] пожалуйста');
    // An invisible character inside does not split the number.
    expect(hide('IIN 900101\u200b300123!')).toBe('IIN [hidden …0123]!');
  });

  it('a 16-digit card, and a 19-digit one', () => {
    expect(hide('card 4400 4301 2345 6789, thanks')).toBe('card [hidden …6789], thanks');
    expect(hide('6234 5678 9012 3456 789')).toBe('[hidden …6789]');
  });

  it('a phone number stays, however written', () => {
    for (const phone of ['+7 (701) 234-56-78', '87012345678', '8–701–234–56–78']) expect(hide(`call me at ${phone}`)).toBe(`call me at ${phone}`);
  });

  it('two phones side by side (22 digits) stay, and so do numbers split by a comma or words', () => {
    expect(hide('87012345678 87079876543')).toBe('87012345678 87079876543');
    expect(hide('900101, 300123')).toBe('900101, 300123');
    expect(hide('1414, 8 800 080 7777')).toBe('1414, 8 800 080 7777');
  });

  it('everything around a hidden number is kept, several numbers each hidden', () => {
    const text = 'Сын: 150505500111, дочь — 170707600222. Телефон +7 701 234 56 78.';
    expect(hide(text)).toBe('Сын: [hidden …0111], дочь — [hidden …0222]. Телефон +7 701 234 56 78.');
  });

  it('a text without long numbers is returned as it is', () => {
    const text = 'Бала 9 жаста, 2015 жылы туған. Мекенжай: Абай к-сі 12, пәтер 34.';
    expect(hide(text)).toBe(text);
  });
  // Found by attack: what still reached the staff group whole.
  it('a number longer than 19 digits is hidden unless it is phones side by side: a card with an IIN, two IINs run together, a 20-digit account', () => {
    expect(hide('ИИН и карта: 9001 0130 0123 4400 4301 2345 6789')).toBe('ИИН и карта: [hidden …6789]');
    expect(hide('900101300123900101300124')).toBe('[hidden …0124]');
    expect(hide('счёт 4400 4301 2345 6789 0123')).toBe('счёт [hidden …0123]');
    expect(hide('+7 701 234 56 78 / 8 707 987 65 43')).toBe('+7 701 234 56 78 / 8 707 987 65 43');
    expect(hide('7012345678 7079876543')).toBe('7012345678 7079876543');
  });

  it('an IIN split by slashes, underscores, a comma between digits, stars, bars, middle dots, a soft hyphen, an emoji, or a spaced dash', () => {
    for (const written of ['900101/300/123', '900101_300_123', '900101,300,123', '900101*300*123', '900101 | 300123', '900101·300·123', '900101\u00ad300123', '9001👍01300123', '900101  -  300123', '900101 ✅ 300123']) {
      expect(hide(`IIN ${written} ok`), written).toBe('IIN [hidden …0123] ok');
    }
  });

  it('digits of other scripts (Arabic-Indic, Persian, Devanagari) are digits too', () => {
    expect(hide('ИИН ٩٠٠١٠١٣٠٠١٢٣')).toBe('ИИН [hidden …0123]');
    expect(hide('ИИН ۹۰۰۱۰۱۳۰۰۱۲۳')).toBe('ИИН [hidden …0123]');
    expect(hide('ИИН ९००१०१३००१२३')).toBe('ИИН [hidden …0123]');
  });
});

describe('holdsLongNumber: a file name that must not reach the staff group', () => {
  it('a name with an IIN or a card however written, by the same rules as texts', () => {
    for (const name of ['IIN 950101300123.pdf', 'справка_950101300123.jpg', 'scan_950101_300123.pdf', 'iin-950101-300-123.pdf', 'ЖСН ٩٥٠١٠١٣٠٠١٢٣.pdf', '９５０１０１３００１２３.png', 'card 4400 4301 2345 6789.png']) {
      expect(holdsLongNumber(name), name).toBe(true);
    }
  });

  it('a name with a phone number, a short number or none', () => {
    for (const name of ['call me 8 701 234 56 78.pdf', '+7 701 234 56 78.jpg', 'decision 2024-117.pdf', 'справка.pdf', '']) expect(holdsLongNumber(name), name).toBe(false);
  });

  it('says yes exactly where hideLongNumbers hides something', () => {
    const texts = ['950101\u00AD300123.pdf', '8701234567887072345678.txt', '900101, 300123', '900101,300,123', '۹۵۰۱۰۱۳۰۰۱۲۳', '950101 🙂 300123', '1234567890123456789012', 'a 12345678901 b'];
    for (const text of texts) expect(holdsLongNumber(text), text).toBe(hideLongNumbers(text, () => '#') !== text);
  });
});

describe("fileNameHoldsLongNumber: a camera's date and time is not an IIN", () => {
  it('names cameras, phones and Telegram give photos and screenshots', () => {
    const names = ['IMG_20240115_123045.jpg', 'VID_20231231_235959.mp4', 'photo_2024-01-15_12-30-45.jpg', 'Screenshot_20240115-123045_Chrome.jpg', 'PXL_20240115_123045123.jpg', 'IMG-20240115-WA0001.jpg'];
    for (const name of names) expect(fileNameHoldsLongNumber(name), name).toBe(false);
  });

  it('an IIN or a card in a name is still found, beside a date and time or shaped like one', () => {
    const names = [
      'IMG_20240115_123045 950101300123.jpg',
      'scan 950101300123.pdf',
      // "20" or "19" before an IIN: its 7th digit (3 to 6) would be the hour's first.
      '20950101300123.pdf',
      // A 16-digit card whose first 14 digits read as a date and time.
      '2024 0115 1230 4512.png',
      // An IIN that reads as 1905-03-30 12:34 is not a 14-digit date and time.
      '190503301234.pdf',
      // A 12-digit date and time (CamScanner's month-first names) can be an IIN: still hidden.
      'CamScanner 01-15-2024 12.30.pdf',
      // Two dates side by side are one long number.
      'IMG_20240115_123045_20240116_090000.jpg',
    ];
    for (const name of names) expect(fileNameHoldsLongNumber(name), name).toBe(true);
  });

  it('an IIN split by what a name shows as nothing (direction marks, a combining mark, a blank) or by a file name\'s punctuation is still found', () => {
    const names = [
      '950101\u200E300123.pdf', '950101\u202E300123.pdf', '950101\u2066300123\u2069.pdf', '950101\u034F300123.pdf', '9\u03015\u03010101300123.pdf', '950101\u2800300123.pdf', '950101\u3164300123.pdf',
      '950101+300123.pdf', '950101=300123.pdf', '950101~300123.pdf', '[950101][300123].pdf', '950101#300123.pdf', "950101'300123.pdf", '950101;300123.pdf', '950101&300123.pdf', 'IIN%20950101%20300123.pdf',
    ];
    for (const name of names) expect(fileNameHoldsLongNumber(name), name).toBe(true);
    // Still not: a camera's date and time written with colons, numbers that are short or phones.
    for (const name of ['IMG 2024-01-15 12:30:45.jpg', 'act #12 [2024].pdf', 'call 8 701 234 56 78 + 8 707 111 22 33.pdf', 'decision 2024-117.pdf']) {
      expect(fileNameHoldsLongNumber(name), name).toBe(false);
    }
  });

  it('an impossible date or time is not a timestamp', () => {
    for (const name of ['20241315_123045.jpg', '20240132_123045.jpg', '20240115_243045.jpg', '20240115_126045.jpg', '18990115_123045.jpg']) {
      expect(fileNameHoldsLongNumber(name), name).toBe(true);
    }
  });
});

describe('what a reviewer who is not an admin reads of a grant application (maskIinsIn)', () => {
  it('masks an IIN however it is written, as the IIN field is, and keeps the rest as written', () => {
    expect(maskIinsIn('Мой ИИН 850301400772, тел. 8 701 234 56 78')).toBe('Мой ИИН 85••••••••72, тел. 8 701 234 56 78');
    expect(maskIinsIn('ИИН 8503 0140 0772')).toBe('ИИН 85••••••••72');
    expect(maskIinsIn('ЖСН 850301/400772')).toBe('ЖСН 85••••••••72');
    expect(maskIinsIn('ИИН ８５０３０１４００７７２')).toBe('ИИН 85••••••••72');
    expect(maskIinsIn('Цех 120 м², 3 станка')).toBe('Цех 120 м², 3 станка');
  });
});
