// Kazakhstan mobile numbers (docs/domain.md). We only accept mobiles: applications and volunteer
// missions are followed up by SMS or messenger, which landlines cannot receive.

// 77 + a mobile operator prefix (700-702, 705-708, 747, 760-764, 771, 775-778, 785) + 7 digits.
// 703/704 are not mobile ranges; landlines start with 7 + area code (e.g. 7 727 for Almaty).
const KZ_MOBILE = /^77(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}$/;

/**
 * Canonical "+77XXXXXXXXX" for a typed or shared Kazakhstan mobile number, or null.
 * Handles "+7 (701) 123-45-67", "8 701 123 45 67", "87011234567", "7011234567", and contact
 * shares, which Telegram delivers as "77011234567" or "+77011234567".
 */
export function normalizePhone(raw: string): string | null {
  let digits = raw.replace(/\D/g, '');
  // A leading 8 is the domestic trunk prefix inherited from the Soviet dialling plan.
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  // Ten digits starting with 7 are the national number without the country code.
  else if (digits.length === 10 && digits.startsWith('7')) digits = `7${digits}`;
  return KZ_MOBILE.test(digits) ? `+${digits}` : null;
}

/** "+7 701 123 45 67", the way numbers are written in Kazakhstan. Unparseable input is returned trimmed. */
export function formatPhone(phone: string): string {
  const n = normalizePhone(phone);
  if (!n) return phone.trim();
  return `+7 ${n.slice(2, 5)} ${n.slice(5, 8)} ${n.slice(8, 10)} ${n.slice(10, 12)}`;
}

/**
 * "+7 701 *** ** 67" for lists shown to staff and for confirmations: the operator code and last
 * digits identify the number to its owner without exposing it. Unparseable input keeps only its
 * last two digits.
 */
export function maskPhone(phone: string): string {
  const n = normalizePhone(phone);
  if (!n) {
    const digits = phone.replace(/\D/g, '');
    return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
  }
  return `+7 ${n.slice(2, 5)} *** ** ${n.slice(10, 12)}`;
}
