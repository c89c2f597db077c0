import type { Translate } from './index.js';

/**
 * A masked IIN or phone number ("06••••••••12", "+7 701 *** ** 67") as words: a screen reader
 * reads the mask as "bullet, bullet, …" eight times, while "ending in 12" is what a person would
 * say. Text without a mask (an admin's full view) is returned as it is.
 */
export function spokenMask(t: Translate, masked: string): string {
  if (!/[•*]/.test(masked)) return masked;
  const last = masked.replace(/\D/g, '').slice(-2);
  return t('common:masked-ending', { last });
}
