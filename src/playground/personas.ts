// The people one can be in the playground: each is its own Telegram user with its own private
// chat, so one can publish a mission as staff and accept it as a volunteer in another tab of the
// same page. The staff group (a supergroup with forum topics) is one more view.
import type { Locale } from '../telegram/types.js';

export type PersonaRole = 'citizen' | 'volunteer' | 'staff' | 'admin';

export interface Persona {
  key: string;
  userId: number;
  firstName: string;
  /** What Telegram reports as the user's app language. */
  languageCode: Locale;
  role: PersonaRole;
  /** Sent when the person shares their phone number. */
  phone: string;
}

/** User ids in a range no real account of a local test would use. */
const BASE_ID = 7_100_000;
export const DEFAULT_ADMIN_ID = BASE_ID;
/** A supergroup id (Telegram's -100 prefix) for the staff group when STAFF_CHAT_ID is not set. */
export const DEFAULT_STAFF_CHAT_ID = -1_007_100_000_000;

export function playgroundPersonas(adminIds: readonly number[]): Persona[] {
  return [
    { key: 'citizen-kk', userId: BASE_ID + 1, firstName: 'Айгүл', languageCode: 'kk', role: 'citizen', phone: '+77011000001' },
    { key: 'citizen-ru', userId: BASE_ID + 2, firstName: 'Ольга', languageCode: 'ru', role: 'citizen', phone: '+77011000002' },
    { key: 'citizen-en', userId: BASE_ID + 3, firstName: 'Emma', languageCode: 'en', role: 'citizen', phone: '+77011000003' },
    { key: 'volunteer', userId: BASE_ID + 4, firstName: 'Dana', languageCode: 'en', role: 'volunteer', phone: '+77011000004' },
    { key: 'staff', userId: BASE_ID + 5, firstName: 'Marat', languageCode: 'en', role: 'staff', phone: '+77011000005' },
    { key: 'admin', userId: adminIds[0] ?? DEFAULT_ADMIN_ID, firstName: 'Admin', languageCode: 'en', role: 'admin', phone: '+77011000006' },
  ];
}
