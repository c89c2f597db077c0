import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { consentAnswer } from '../../src/engine/answers.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { firstName } from '../../src/domain/person-name.js';
import {
  ageStep,
  areasStep,
  availabilityStep,
  cleanSkills,
  guardianStep,
  isMinorAge,
  nameStep,
  phoneStep,
  regionStep,
  skillsStep,
  volunteerFields,
  withOpenMissions,
} from './steps.js';

const answers = z.object({ ...volunteerFields, consent: consentAnswer });

/** Sign-up as a volunteer: who, how old, how to reach, where, what, when, and consent (Law 94-V). */
export const volunteerSignupScene = defineScene(answers, {
  id: 'volunteer-signup',
  version: 1,
  namespace: 'volunteer',
  titleKey: 'volunteer:signup.title',
  inactivitySeconds: 30 * 60,
  async enter(ctx) {
    if (await ctx.deps.services.volunteers.isVolunteer(ctx.meta.userId)) {
      return { refuse: [{ kind: 'text', text: ctx.t('volunteer:signup.already') }] };
    }
    return { answers: {} };
  },
  steps: [
    nameStep(),
    ageStep(),
    guardianStep(),
    phoneStep(),
    regionStep(),
    areasStep(),
    availabilityStep(),
    skillsStep(),
    { id: 'consent', kind: 'consent', prompt: 'volunteer:consent.prompt', declinedKey: 'volunteer:consent.declined' },
    { id: 'confirm', kind: 'confirm', prompt: 'volunteer:confirm.prompt', submitKey: 'volunteer:confirm.submit' },
  ],
  async complete(answers, ctx) {
    const phone = normalizePhone(answers.phone);
    const { age } = answers;
    if (!phone || (isMinorAge(age) && answers.guardian !== 'yes')) {
      return { replies: [{ kind: 'text', text: ctx.t('errors:internal') }] };
    }
    await ctx.deps.services.volunteers.register(ctx.meta.userId, ctx.meta.chatId, ctx.locale, {
      fullName: answers.name,
      age,
      guardianConsent: answers.guardian === 'yes',
      phone,
      region: answers.region,
      areas: answers.areas,
      availability: answers.availability,
      skills: cleanSkills(answers.skills),
    });
    const invited = await ctx.deps.services.missions.inviteToOpenMissions(ctx.meta.userId);
    // By first name only: "Рақмет, Әйгерім!", not the surname and patronymic as well.
    const first = firstName(answers.name);
    const thanks = first ? ctx.t('volunteer:signup.thanks-name', { name: first }) : ctx.t('volunteer:signup.thanks');
    return { replies: [{ kind: 'text', text: withOpenMissions(ctx, ctx.t('volunteer:signup.done', { thanks }), invited) }] };
  },
});
