import { describe, it, expect } from 'vitest';
import { ADULT_AGE, ageOn, checkBin, checkIin, iinCheckDigit, isAdult, maskIin } from '../../src/domain/iin.js';

const TODAY = new Date('2026-11-20T07:00:00Z'); // 12:00 in Kazakhstan

// Builds a valid IIN from its first 11 digits, so a test can target one rule at a time.
function withCheckDigit(first11: string): string {
  const d = iinCheckDigit(first11);
  if (d === null) throw new Error(`no valid check digit for ${first11}`);
  return `${first11}${d}`;
}

function firstPass(first11: string): number {
  return [...first11].reduce((sum, c, i) => sum + Number(c) * (i + 1), 0) % 11;
}

describe('checkIin', () => {
  it('accepts the example of docs/domain.md and decodes it', () => {
    expect(checkIin('061211600012', TODAY)).toEqual({
      ok: true,
      iin: '061211600012',
      birthDate: '2006-12-11',
      sex: 'female',
      age: 19,
    });
  });

  it('strips spaces and dashes first', () => {
    const r = checkIin(' 0612 1160-0012 ', TODAY);
    expect(r.ok && r.iin).toBe('061211600012');
    expect(checkIin('061211\u00A0600012', TODAY).ok).toBe(true);
    expect(checkIin('061211–600012', TODAY).ok).toBe(true);
  });

  it('uses the second weights when the first pass gives 10 (known vector)', () => {
    // 9·1+0+0+3·4+1·5+5·6+3·7+0+0+1·10+1·11 = 98 ≡ 10; second pass 122 ≡ 1 → check digit 1.
    expect(firstPass('90031530011')).toBe(10);
    const r = checkIin('900315300111', TODAY);
    expect(r).toEqual({ ok: true, iin: '900315300111', birthDate: '1990-03-15', sex: 'male', age: 36 });
    // The first pass's value (10) is not a digit, and 0 would be wrong: only the second pass decides.
    expect(checkIin('900315300110', TODAY)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('uses the second weights when the first pass gives 10 (constructed vectors)', () => {
    let found = 0;
    for (let serial = 0; serial < 2000; serial++) {
      const first11 = `851120${4}${String(serial).padStart(4, '0')}`;
      if (firstPass(first11) !== 10) continue;
      const digit = iinCheckDigit(first11);
      if (digit === null) continue;
      found++;
      const secondPass = [...first11].reduce((s, c, i) => s + Number(c) * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i]!, 0) % 11;
      expect(digit).toBe(secondPass);
      expect(checkIin(`${first11}${digit}`, TODAY).ok).toBe(true);
      for (let other = 0; other <= 9; other++) {
        if (other !== digit) expect(checkIin(`${first11}${other}`, TODAY)).toEqual({ ok: false, reason: 'checksum' });
      }
    }
    expect(found).toBeGreaterThan(10);
  });

  it('rejects numbers where both passes give 10 (no check digit can be valid)', () => {
    expect(iinCheckDigit('90031530010')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(checkIin(`90031530010${d}`, TODAY)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('rejects a wrong check digit', () => {
    expect(checkIin('061211600013', TODAY)).toEqual({ ok: false, reason: 'checksum' });
    expect(checkIin('061211600022', TODAY)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('rejects impossible dates, including 30 February and non-leap 29 February', () => {
    expect(checkIin(withCheckDigit('90023030012'), TODAY)).toEqual({ ok: false, reason: 'date' });
    expect(checkIin(withCheckDigit('90130130012'), TODAY)).toEqual({ ok: false, reason: 'date' }); // month 13
    expect(checkIin(withCheckDigit('90043130012'), TODAY)).toEqual({ ok: false, reason: 'date' }); // 31 April
    expect(checkIin(withCheckDigit('90000030012'), TODAY)).toEqual({ ok: false, reason: 'date' });
    expect(checkIin(withCheckDigit('01022950012'), TODAY)).toEqual({ ok: false, reason: 'date' }); // 2001 not leap
    expect(checkIin(withCheckDigit('00022950012'), TODAY).ok).toBe(true); // 2000 is leap
    expect(checkIin(withCheckDigit('00022930012'), TODAY)).toEqual({ ok: false, reason: 'date' }); // 1900 is not
  });

  it('rejects birth dates in the future', () => {
    expect(checkIin(withCheckDigit('26122150012'), TODAY)).toEqual({ ok: false, reason: 'date' });
  });

  it.each(['0', '7', '8', '9'])('rejects century digit %s', (digit) => {
    const first11 = `900315${digit}0012`;
    const iin = iinCheckDigit(first11) === null ? `${first11}0` : withCheckDigit(first11);
    expect(checkIin(iin, TODAY)).toEqual({ ok: false, reason: 'century' });
  });

  it('decodes century and sex from the seventh digit', () => {
    const cases = [
      ['1', '1890', 'male'],
      ['2', '1890', 'female'],
      ['3', '1990', 'male'],
      ['4', '1990', 'female'],
    ] as const;
    for (const [digit, year, sex] of cases) {
      const r = checkIin(withCheckDigit(`900315${digit}0012`), TODAY);
      expect(r.ok && [r.birthDate.slice(0, 4), r.sex]).toEqual([year, sex]);
    }
  });

  it('rejects letters and wrong lengths as format errors', () => {
    expect(checkIin('06121160001a', TODAY)).toEqual({ ok: false, reason: 'format' });
    expect(checkIin('ИИН061211600012', TODAY)).toEqual({ ok: false, reason: 'format' });
    expect(checkIin('06121160001', TODAY)).toEqual({ ok: false, reason: 'format' }); // 11
    expect(checkIin('0612116000120', TODAY)).toEqual({ ok: false, reason: 'format' }); // 13
    expect(checkIin('', TODAY)).toEqual({ ok: false, reason: 'format' });
    expect(checkIin('０６１２１１６０００１２', TODAY)).toEqual({ ok: false, reason: 'format' }); // full-width digits
  });
});

describe('age', () => {
  const born = '2008-11-21';
  const iin = withCheckDigit('08112150012');

  it('is under 18 the day before the 18th birthday, 18 on the day', () => {
    const dayBefore = new Date('2026-11-20T07:00:00Z');
    const birthday = new Date('2026-11-21T07:00:00Z');
    const r = checkIin(iin, dayBefore);
    expect(r.ok && r.age).toBe(17);
    expect(isAdult({ birthDate: born }, dayBefore)).toBe(false);
    expect(isAdult({ birthDate: born }, birthday)).toBe(true);
    expect(ADULT_AGE).toBe(18);
  });

  it('counts the birthday by the Kazakhstan calendar, not UTC', () => {
    // 19:30 UTC on the 20th is 00:30 on the 21st in Kazakhstan.
    expect(ageOn(born, new Date('2026-11-20T18:59:00Z'))).toBe(17);
    expect(ageOn(born, new Date('2026-11-20T19:30:00Z'))).toBe(18);
  });

  it('treats 29 February birthdays as passed on 1 March in non-leap years', () => {
    expect(ageOn('2008-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T12:00:00Z'))).toBe(18);
    expect(ageOn('2008-02-29', new Date('2028-02-29T12:00:00Z'))).toBe(20);
  });
});

describe('checkBin', () => {
  it('accepts a BIN with a valid check digit, whatever its date-like digits', () => {
    const bin = withCheckDigit('99074000123'); // month 07, type 4: not a date check
    expect(checkBin(bin)).toEqual({ ok: true, bin });
    expect(checkBin(`${bin.slice(0, 6)} ${bin.slice(6)}`)).toEqual({ ok: true, bin });
    const noDate = withCheckDigit('99134000123'); // "month 13" is fine for a BIN
    expect(checkBin(noDate).ok).toBe(true);
  });

  it('rejects wrong check digits and malformed input', () => {
    const bin = withCheckDigit('99074000123');
    const wrong = `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
    expect(checkBin(wrong)).toEqual({ ok: false, reason: 'checksum' });
    expect(checkBin('12345')).toEqual({ ok: false, reason: 'format' });
    expect(checkBin('99074000123x')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('maskIin', () => {
  it('shows the first two and last two digits', () => {
    expect(maskIin('061211600012')).toBe('06••••••••12');
    expect(maskIin('0612 1160 0012')).toBe('06••••••••12');
  });

  it('masks short input entirely', () => {
    expect(maskIin('1234')).toBe('••••');
    expect(maskIin('')).toBe('');
  });
});
