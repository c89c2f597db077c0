import { describe, expect, it } from 'vitest';
import { eligibleProgrammes, loadProgrammes, maxAmount, maxMci, mciFor, parseProgrammes, programmes } from '../../src/features/grant/programmes.js';

describe('programmes data', () => {
  const data = loadProgrammes();

  it('loads and validates data/programmes.json', () => {
    expect(data.mciByYear).toEqual({ '2025': 3932, '2026': 4325 });
    expect(data.programmes.grant.note).toMatch(/UNCONFIRMED/);
    expect(data.largeFamilyMinChildren).toBe(4);
    expect(programmes()).toEqual(data);
  });

  it('turns down a broken file with a message naming the field', () => {
    const broken = structuredClone(data) as unknown as { programmes: { grant: { maxMci: unknown } } };
    broken.programmes.grant.maxMci = -5;
    expect(() => parseProgrammes(broken)).toThrow(/programmes\.grant\.maxMci/);
    expect(() => parseProgrammes({ ...data, mciByYear: { '20x6': 1 } })).toThrow(/mciByYear/);
  });

  it('picks the MCI of the Kazakhstan calendar year, or the latest earlier one', () => {
    expect(mciFor(new Date('2025-06-01T00:00:00Z'), data)).toEqual({ year: 2025, mci: 3932 });
    // 31 Dec 2025 20:00 UTC is already 1 January 2026 in Kazakhstan.
    expect(mciFor(new Date('2025-12-31T20:00:00Z'), data)).toEqual({ year: 2026, mci: 4325 });
    expect(mciFor(new Date('2027-03-01T00:00:00Z'), data)).toEqual({ year: 2026, mci: 4325 });
    expect(mciFor(new Date('2020-03-01T00:00:00Z'), data)).toEqual({ year: 2025, mci: 3932 });
  });

  it('gives microloan limits by region (Aktau → Mangystau, Atyrau → Atyrau) and the grant limit', () => {
    for (const region of ['astana', 'almaty', 'shymkent', 'mangystau', 'atyrau'] as const) expect(maxMci('microloan', region, data)).toBe(8000);
    expect(maxMci('microloan', 'karaganda', data)).toBe(6500);
    expect(maxMci('microloan', 'almaty-region', data)).toBe(6500);
    expect(maxAmount('grant', 'astana', 4325, data)).toBe(1_730_000);
    expect(maxAmount('microloan', 'kostanay', 4325, data)).toBe(28_112_500);
  });

  it('knows which groups each programme is open to', () => {
    expect(eligibleProgrammes(['large-family'], data)).toEqual(['grant', 'microloan']);
    expect(eligibleProgrammes([], data)).toEqual([]);
  });
});
