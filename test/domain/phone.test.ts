import { describe, it, expect } from 'vitest';
import { formatPhone, maskPhone, normalizePhone } from '../../src/domain/phone.js';

describe('normalizePhone', () => {
  it.each([
    ['+7 (701) 123-45-67', '+77011234567'],
    ['8 701 123 45 67', '+77011234567'],
    ['87011234567', '+77011234567'],
    ['7011234567', '+77011234567'],
    ['77011234567', '+77011234567'], // contact share without plus
    ['+77011234567', '+77011234567'], // contact share with plus
    ['8(701)1234567', '+77011234567'],
    ['+7-701-123-45-67', '+77011234567'],
    ['  +7 701 123 45 67\n', '+77011234567'],
    ['+7\u00A0701\u00A0123\u00A045\u00A067', '+77011234567'],
  ])('normalises %j', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each(['700', '701', '702', '705', '706', '707', '708', '747', '760', '761', '762', '763', '764', '771', '775', '776', '777', '778', '785'])(
    'accepts mobile prefix %s',
    (prefix) => {
      expect(normalizePhone(`8${prefix}1234567`)).toBe(`+7${prefix}1234567`);
    },
  );

  it.each(['703', '704', '709', '710', '740', '765', '770', '772', '774', '779', '780', '786', '790'])(
    'rejects non-mobile prefix %s',
    (prefix) => {
      expect(normalizePhone(`+7${prefix}1234567`)).toBeNull();
    },
  );

  it.each([
    ['Almaty landline', '+7 727 123 45 67'],
    ['Almaty landline with trunk 8', '8 727 312 34 56'],
    ['Astana landline', '+7 7172 55 66 77'],
    ['Russian mobile', '+7 916 123 45 67'],
    ['12 digits', '+770112345678'],
    ['9 digits', '701123456'],
    ['10 digits not starting with 7', '9011234567'],
    ['11 digits starting with 9', '97011234567'],
    ['empty', ''],
    ['letters only', 'my number'],
    ['two numbers', '87011234567 87021234567'],
  ])('rejects %s', (_label, raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});

describe('formatPhone', () => {
  it('formats the Kazakhstan way', () => {
    expect(formatPhone('+77011234567')).toBe('+7 701 123 45 67');
    expect(formatPhone('87771234500')).toBe('+7 777 123 45 00');
  });

  it('returns unparseable input trimmed', () => {
    expect(formatPhone('  12345 ')).toBe('12345');
  });
});

describe('maskPhone', () => {
  it('keeps the operator code and the last two digits', () => {
    expect(maskPhone('+77011234567')).toBe('+7 701 *** ** 67');
    expect(maskPhone('8 747 000 11 22')).toBe('+7 747 *** ** 22');
  });

  it('masks unparseable input except its last two digits', () => {
    expect(maskPhone('+7 727 123 45 67')).toBe('*********67');
    expect(maskPhone('abc')).toBe('');
  });
});
