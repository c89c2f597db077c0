import { describe, it, expect } from 'vitest';
import { formatKzDate, formatKzDateTime, fromKzWallTime, isRealDate, kzDateParts, parseKzDateTime } from '../../src/domain/kz-time.js';

const NOW = new Date('2026-11-20T07:00:00Z'); // 20.11.2026 12:00 in Kazakhstan

describe('parseKzDateTime', () => {
  it('reads DD.MM.YYYY HH:MM as Kazakhstan time (UTC+5)', () => {
    expect(parseKzDateTime('25.12.2026 14:30', NOW)?.toISOString()).toBe('2026-12-25T09:30:00.000Z');
  });

  it('handles the day boundary: 23:30 in Kazakhstan is 18:30 UTC the same day', () => {
    expect(parseKzDateTime('31.12.2026 23:30', NOW)?.toISOString()).toBe('2026-12-31T18:30:00.000Z');
    expect(parseKzDateTime('01.01.2027 00:30', NOW)?.toISOString()).toBe('2026-12-31T19:30:00.000Z');
  });

  it('reads a bare date as midnight in Kazakhstan', () => {
    expect(parseKzDateTime('25.12.2026', NOW)?.toISOString()).toBe('2026-12-24T19:00:00.000Z');
  });

  it('accepts single digits, dashes, slashes and a comma before the time', () => {
    const expected = '2027-03-05T04:07:00.000Z';
    for (const text of ['5.3.2027 9:07', '05-03-2027 09:07', '05/03/2027 09:07', '05.03.2027, 09:07', '  5.3.2027   9:07 ']) {
      expect(parseKzDateTime(text, NOW)?.toISOString(), text).toBe(expected);
    }
  });

  it('picks this year or next for DD.MM HH:MM, whichever is not in the past', () => {
    expect(parseKzDateTime('25.12 10:00', NOW)?.toISOString()).toBe('2026-12-25T05:00:00.000Z');
    expect(parseKzDateTime('01.02 10:00', NOW)?.toISOString()).toBe('2027-02-01T05:00:00.000Z');
    // Earlier today has passed, so it means next year; later today is still this year.
    expect(parseKzDateTime('20.11 11:59', NOW)?.toISOString()).toBe('2027-11-20T06:59:00.000Z');
    expect(parseKzDateTime('20.11 12:01', NOW)?.toISOString()).toBe('2026-11-20T07:01:00.000Z');
  });

  it('uses the Kazakhstan year near New Year', () => {
    // 19:30 UTC on 31 Dec is already 1 Jan 2027 in Kazakhstan.
    const now = new Date('2026-12-31T19:30:00Z');
    expect(parseKzDateTime('01.01 08:00', now)?.toISOString()).toBe('2027-01-01T03:00:00.000Z');
  });

  it('finds the next 29 February without a year only when it exists', () => {
    expect(parseKzDateTime('29.02 10:00', NOW)).toBeNull(); // 2027 is not leap
    expect(parseKzDateTime('29.02 10:00', new Date('2027-06-01T00:00:00Z'))?.toISOString()).toBe('2028-02-29T05:00:00.000Z');
  });

  it.each([
    '30.02.2027 10:00',
    '29.02.2027',
    '31.04.2027',
    '00.01.2027',
    '12.13.2027',
    '10.10.2027 24:00',
    '10.10.2027 10:60',
    '10.10.2027 10:5',
    '10.10.27',
    '10.10.2027 10',
    '10-10/2027',
    '2027-10-10',
    '25.12',
    'завтра',
    '',
  ])('rejects %j', (text) => {
    expect(parseKzDateTime(text, NOW)).toBeNull();
  });
});

describe('formatting', () => {
  it('formats in Kazakhstan time with the same pattern for every locale', () => {
    const d = new Date('2026-12-25T09:30:00Z');
    expect(formatKzDateTime(d, 'kk')).toBe('25.12.2026 14:30');
    expect(formatKzDateTime(d, 'ru')).toBe('25.12.2026 14:30');
    expect(formatKzDateTime(d, 'en')).toBe('25.12.2026 14:30');
    expect(formatKzDate(d, 'en')).toBe('25.12.2026');
  });

  it('moves to the next day after 19:00 UTC', () => {
    const d = new Date('2026-12-31T18:30:00Z');
    expect(formatKzDateTime(d, 'ru')).toBe('31.12.2026 23:30');
    expect(formatKzDate(new Date('2026-12-31T19:00:00Z'), 'kk')).toBe('01.01.2027');
  });

  it('round-trips with the parser', () => {
    const text = '07.03.2027 08:05';
    expect(formatKzDateTime(parseKzDateTime(text, NOW)!, 'ru')).toBe(text);
  });

  it('refuses an invalid Date', () => {
    expect(() => formatKzDateTime(new Date(Number.NaN), 'ru')).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('knows leap years', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2100, 2, 29)).toBe(false);
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(2026, 4, 31)).toBe(false);
  });

  it('converts wall time both ways', () => {
    const d = fromKzWallTime(2026, 6, 1, 0, 0)!;
    expect(d.toISOString()).toBe('2026-05-31T19:00:00.000Z');
    expect(kzDateParts(d)).toEqual({ year: 2026, month: 6, day: 1, hour: 0, minute: 0 });
  });
});
