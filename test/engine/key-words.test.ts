// Kazakh puts the verb last: a word of an option's Kazakh text other than its first names the
// option when no other option shown has it (engine/key-words.ts, through matchTyped).
import { describe, expect, it } from 'vitest';
import { matchTyped, typedCandidates, type ShownOption } from '../../src/engine/options.js';

const option = (value: string, kazakh: string, aliases: string[] = []): ShownOption => ({ value, label: kazakh, aliases, kazakh });

const myData = [
  option('delete', 'Барлық деректерімді жою', ['Удалить все мои данные', 'Delete all my data']),
  option('announcements-off', 'Хабарландыруларды өшіру', ['Отключить объявления', 'Turn announcements off']),
];
const staffAction = [
  option('role', 'Рөлін өзгерту'),
  option('regions', 'Өңірлерін өзгерту'),
  option('revoke', 'Рұқсатты қайтарып алу'),
  option('close', 'Ештеңе өзгертпеймін'),
];

describe('a Kazakh key word typed alone', () => {
  it('names the one option whose Kazakh text has it, in Cyrillic and Latin letters and its forms', () => {
    for (const typed of ['жою', 'Жою!', 'joyu', 'zhoyu', 'деректерімді', 'деректерім', 'өшіру', 'oshiru', 'өшіремін']) {
      expect(matchTyped(typed, myData)?.value, typed).toBe(myData[typed.startsWith('ө') || typed.startsWith('o') ? 1 : 0]!.value);
    }
    for (const typed of ['қайтарып алу', 'qaytaryp alu', 'қайтарып', 'рұқсатты', 'рұқсат']) expect(matchTyped(typed, staffAction)?.value, typed).toBe('revoke');
    expect(matchTyped('рөлін', staffAction)?.value).toBe('role');
  });

  it('names none when two options have the word, or when it says "not"', () => {
    expect(typedCandidates('өзгерту', staffAction).map((o) => o.value)).toEqual(['role', 'regions']);
    expect(matchTyped('өзгерту', staffAction)).toBeNull();
    // «өзгертпеймін» (I will not change) is no «өзгерту» (change).
    expect(typedCandidates('өзгертпеймін', staffAction).map((o) => o.value)).toEqual(['close']);
    expect(matchTyped('өзгертпеймін', staffAction.slice(0, 1))).toBeNull();
  });

  it('sees a "not" past the suffix that makes a verb of a word («мақұл-да-ма-у», «қабыл-да-ма-у»)', () => {
    // A reviewer's decision: the stemmer takes «-да-» off with the "not", so «қабылдаймын» (I
    // accept) picked Reject; and «мақұлдамау» (not approve), two letters from «Мақұлдау», was
    // taken for a slip of it and picked Approve.
    const decision = [
      option('in-review', 'Қарауға алу'),
      option('more-info', 'Мәлімет сұрау'),
      option('approved', 'Мақұлдау'),
      option('rejected', 'Қабылдамау'),
    ];
    for (const typed of ['мақұлдамау', 'мақұлдамаймын', 'maquldamau', 'қабылдау', 'қабылдаймын', 'қабылданды', 'қабылданбады']) expect(matchTyped(typed, decision), typed).toBeNull();
    for (const typed of ['мақұлдау', 'мақұлдаймын', 'maquldau']) expect(matchTyped(typed, decision)?.value, typed).toBe('approved');
    for (const typed of ['қабылдамау', 'қабылдамаймын', 'qabyldamau']) expect(matchTyped(typed, decision)?.value, typed).toBe('rejected');
  });

  it('takes a word in Latin letters only as the Kazakh text has it: English words are no Kazakh stems', () => {
    // Read as Kazakh, "sure" had the stem of «сұрау» (ask) and picked "Request information" at an
    // application's decision; "menu" had «Менің …» (my), "base" «Бас тарту» (cancel).
    const decision = [option('confirm', 'Шешімді растау'), option('more-info', 'Мәлімет сұрау'), option('approved', 'Мақұлдау')];
    for (const typed of ['sure', 'sure thing', 'menu', 'base']) expect(matchTyped(typed, [...decision, option('mine', 'Менің мүгедектігім бар'), option('cancel', 'Бас тарту')]), typed).toBeNull();
    expect(matchTyped('surau', decision)?.value).toBe('more-info');
    expect(matchTyped('сұраймын', decision)?.value).toBe('more-info');
  });

  it('takes no verb for a button that says it cannot be done («бара алмаймын»)', () => {
    // The volunteer page: «барамын» (I will go) picked «Миссияға бара алмаймын» (I cannot go).
    const page = [option('missions', 'Миссияларым мен сағаттарым'), option('cancel-mission', 'Миссияға бара алмаймын'), option('edit', 'Жауаптарымды өзгерту')];
    for (const typed of ['барамын', 'бара', 'миссияға барамын']) expect(matchTyped(typed, page), typed).toBeNull();
    for (const typed of ['алмаймын', 'бара алмаймын', 'bara almaymyn']) expect(matchTyped(typed, page)?.value, typed).toBe('cancel-mission');
  });

  it('leaves the answers to a yes-or-no question to their yes or no', () => {
    const confirm = [option('yes', 'Иә, барлығын жою', ['Да, удалить всё']), option('no', 'Жоқ, деректерім қалсын', ['Нет, оставить данные'])];
    expect(matchTyped('жою', confirm)).toBeNull();
    expect(matchTyped('қалсын', confirm)).toBeNull();
    expect(matchTyped('иә', confirm)?.value).toBe('yes');
  });

  it('reads no sentence and no text without a Kazakh word', () => {
    expect(matchTyped('мен барлық деректерімді жойғым келеді', myData)).toBeNull();
    expect(matchTyped('2', myData)?.value).toBe('announcements-off');
    expect(matchTyped('данные', myData)).toBeNull();
    expect(matchTyped('жою', [{ value: 'x', label: 'Барлық деректерімді жою' }])).toBeNull();
    // "бәрі" (all) has the stem of «барлар» (those who have): no word of its own.
    expect(matchTyped('бәрі', [option('elderly', 'Қарттар мен мүгедектігі барлар'), option('children', 'Балалар')])).toBeNull();
  });
});
