// An age typed as a range: "5-6 лет", "5–6 жаста", "5 to 6 years", "пять-шесть лет" (spelled
// numbers are digits by now, typed-age-numbers.ts).

import { ADULT_AGE } from './iin.js';

// Two ages with a dash or "to" between them: "5-6 лет", "5–6 жаста", "5 to 6 years", "7-8-летний".
const RANGE = /(?<![\d.,])(\d{1,3})\s*(?:[-‐–—]|\bto\b)\s*(\d{1,3})(?![\d]|[.,]\d)/g;

/**
 * An age typed as a range is one age when both ends are on the same side of 18 (the middle of
 * the range, so "0-1 год" is a baby, not no age); one that straddles 18 ("17-18") says too
 * little and is no age, so the question is asked again. Null when the text has no range.
 */
export function rangeAge<Age extends { years: number } | { impossible: true }>(
  typed: string,
  read: (text: string) => Age | null,
): { age: Age | null } | null {
  const ranges = [...typed.matchAll(RANGE)].filter((m) => Number(m[1]) < Number(m[2]));
  const [range] = ranges;
  if (!range) return null;
  if (ranges.length > 1) return { age: null };
  const withAge = (value: number) => `${typed.slice(0, range.index)}${String(value)}${typed.slice(range.index + range[0].length)}`;
  const [low, high] = [Number(range[1]), Number(range[2])];
  // Read with each end in the range's place, so "17-18 месяцев" (both under a year and a half) is a child.
  // An end no one's age has is on the side of its number: 0 below 18, 150 above.
  const isChild = (value: number) => {
    const age = read(withAge(value));
    return age === null ? null : 'years' in age ? age.years < ADULT_AGE : value < ADULT_AGE;
  };
  const [lowChild, highChild] = [isChild(low), isChild(high)];
  if (lowChild === null || lowChild !== highChild) return { age: null };
  return { age: read(withAge((low + high) / 2)) };
}

