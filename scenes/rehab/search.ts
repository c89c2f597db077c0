import { z } from 'zod';
import type { ChoiceOption, SentenceRules } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { locationAnswer } from '../../src/engine/answers.js';
import { isInKazakhstan } from '../../src/domain/kazakhstan-border.js';
import { readTypedAge, saysSeveralAges } from '../../src/domain/typed-age.js';
import { holdsIdsOrNumbersOnly } from '../../src/domain/typed-age-ids.js';
import { saysHowThePersonIs } from '../../src/domain/typed-about-person.js';
import { isClearlyAQuestion } from '../../src/domain/typed-question.js';
import { numberSpelledAlone } from '../../src/domain/typed-age-numbers.js';
import { AGE_GROUPS, ageGroupOf, type AgeGroup } from '../../src/features/rehab/centre-kinds.js';
import { ADULT_ONLY_HELP, HELP_KINDS, type CentreSearch } from '../../src/features/rehab/centres-search.js';
import { newSearch, REHAB_RESULTS_SCENE, REHAB_SEARCH_SCENE } from './render.js';

/** Kinds of help on offer: professional rehabilitation and employment only for adults. */
function helpOptions(who: unknown): ChoiceOption[] {
  return HELP_KINDS.filter((help) => who === 'adults' || !ADULT_ONLY_HELP.includes(help)).map((help) => ({
    value: help,
    labelKey: `rehab:help.${help}`,
  }));
}

// Every kind of help is a service, a kind of care or a stay: "услуги", "қызметтер", "уход",
// "күтім", "care", "stay" alone name none of them ("нужен уход" is home care as much as
// residential care); "Day care" and "Стационарный уход" still name theirs whole.
export const HELP_SENTENCES: SentenceRules = {
  vague: ['services', 'care', 'stay', 'услуги', 'уход', 'қызметтер', 'көрсетілетін', 'күтім'],
};

/**
 * The word people type instead of the button's phrase ("An adult (18 or older)"), in any of the
 * three languages: many who use the bot in Kazakh type in Russian, and the other way round.
 */
const WHO_WORDS = {
  children: ['child', 'children', 'kid', 'ребенок', 'ребёнок', 'ребенку', 'дети', 'детям', 'бала', 'балалар', 'балаға'],
  adults: ['adult', 'adults', 'grown-up', 'взрослый', 'взрослая', 'взрослые', 'взрослому', 'взрослым', 'ересек', 'ересектер', 'ересекке'],
};

/**
 * An age typed for "who needs help" ("7", "мой сын, 7 лет", "ұлым 7 жаста", "I am 30 years old"),
 * as its group. It is read only after the buttons' numbers, labels and words found nothing, so a
 * bare "1" or "2" stays the button of that number: the question's hint says to type the number,
 * and "2" read as an age would make a two-year-old an adult. A bare number past the buttons ("7",
 * "45"), or any number with an age word ("2 года", "мне 2"), can only be an age. A year of birth
 * ("2015 г.р.") gives the age as of the bot's clock. A number about something else ("2 группа",
 * "3 года назад") is no age: the step's usual "tap a button or type its number" answers it, not
 * "no one is that age". So is a button's number spelled alone ("два", "two", "екі"): it may be
 * the button or an age, and the two differ (button 2 is the adults).
 *
 * No age, but words about how the person is or whose parent is typing ("ему за 2 года стало
 * хуже", "I am a mother of 2"): the step says it did not understand and asks again. Left to the
 * router, a text of four words or more goes to the knowledge base as a question, and an entry
 * sharing a word with it ("years", "ребёнок") would answer what nobody asked. So do two ages ("мне
 * 45, сыну 7": whose?) and numbers alone or a phone number or an IIN ("+7 701 123 45 67"). A text
 * that asks ("…?", "как…", "қалай…", "…, что делать") still goes there.
 */
function whoByAge(text: string, now: Date): AgeGroup | { errorKey: string } | null {
  const spelled = numberSpelledAlone(text);
  if (spelled !== null && spelled >= 1 && spelled <= AGE_GROUPS.length) return null;
  const age = readTypedAge(text, now);
  if (age) return 'impossible' in age ? { errorKey: 'rehab:who.age-impossible' } : ageGroupOf(age.years);
  const answersTheStep = saysHowThePersonIs(text) || saysSeveralAges(text, now) || holdsIdsOrNumbersOnly(text, now);
  return answersTheStep && !isClearlyAQuestion(text) ? { errorKey: 'rehab:who.not-understood' } : null;
}

/**
 * Where, who, what kind of help. Where comes first so the location keyboard is gone before
 * the list appears, and the list is the last thing on screen.
 */
const answers = z.object({
  where: locationAnswer,
  who: z.enum(AGE_GROUPS),
  help: z.enum(HELP_KINDS),
});

export const rehabSearchScene = defineScene(answers, {
  id: REHAB_SEARCH_SCENE,
  version: 1,
  namespace: 'rehab',
  titleKey: 'rehab:search.title',
  inactivitySeconds: 30 * 60,
  steps: [
    {
      id: 'where',
      kind: 'location',
      prompt: 'rehab:where.prompt',
      allowRegion: true,
      // The directory is Kazakhstan's: "nearest first" from abroad would list centres a thousand
      // kilometres away as if they were near (a relative abroad, a pin dropped on the wrong map).
      // The border itself, not the rectangle around the country: Bishkek, Omsk and Novosibirsk
      // lie inside the rectangle.
      check: (value) => {
        const where = value as z.output<typeof locationAnswer>;
        return where?.type === 'point' && !isInKazakhstan(where) ? { errorKey: 'rehab:where.abroad' } : undefined;
      },
    },
    {
      id: 'who',
      kind: 'choice',
      prompt: 'rehab:who.prompt',
      options: [
        { value: 'children', labelKey: 'rehab:who.children', aliases: WHO_WORDS.children },
        { value: 'adults', labelKey: 'rehab:who.adults', aliases: WHO_WORDS.adults },
      ],
      typed: whoByAge,
      sentences: true,
    },
    { id: 'help', kind: 'choice', prompt: 'rehab:help.prompt', sentences: HELP_SENTENCES, options: (answers) => helpOptions(answers.who) },
  ],
  async complete({ where, who, help }, ctx) {
    if (!where) return { replies: [] };
    const search: CentreSearch = {
      who,
      // A child's answer cannot keep an adults-only kind (Back to "who" after choosing it).
      help: who === 'children' && ADULT_ONLY_HELP.includes(help) ? 'rehabilitation' : help,
      where,
    };
    // The criteria and the order of the centres found stay in the session for the result pages.
    return { replies: [], data: await newSearch(ctx, search), next: { scene: REHAB_RESULTS_SCENE, seed: { page: 0 } } };
  },
});
