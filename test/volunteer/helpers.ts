import type { TestApp } from '../support/app-harness.js';
import type { VolunteerProfileInput } from '../../src/features/volunteer/volunteers.service.js';
import type { MissionInput } from '../../src/features/volunteer/missions.service.js';
import type { Locale } from '../../src/telegram/types.js';

export const HOUR = 60 * 60 * 1000;

/** A mutable clock the bot reads through `now`, so tests can move past reminders and mission ends. */
export function clock(start = new Date('2026-11-20T06:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
    set: (date: Date) => {
      current = date.getTime();
    },
  };
}

export const profile = (over: Partial<VolunteerProfileInput> = {}): VolunteerProfileInput => ({
  fullName: 'Aigerim Sarsenova',
  age: 25,
  phone: '+77011234567',
  region: 'karaganda',
  areas: ['people-in-need', 'disability-elderly'],
  availability: ['weekends'],
  skills: ['first-aid'],
  ...over,
});

/** A volunteer created without the sign-up dialogue (the dialogue has its own tests). */
export async function addVolunteer(app: TestApp, userId: number, locale: Locale = 'en', over: Partial<VolunteerProfileInput> = {}): Promise<void> {
  await app.bot.services.users.touch({ updateId: 0, chatId: userId, userId }, locale);
  await app.bot.services.volunteers.register(userId, userId, locale, profile(over));
}

export const mission = (now: Date, over: Partial<MissionInput> = {}): MissionInput => ({
  title: 'Charity fair',
  description: 'Help visitors at the charity fair.',
  area: 'people-in-need',
  region: 'karaganda',
  place: 'Central park',
  startsAt: new Date(now.getTime() + 3 * 24 * HOUR),
  durationHours: 4,
  slots: 10,
  skills: [],
  ...over,
});
