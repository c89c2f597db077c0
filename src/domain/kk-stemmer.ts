/**
 * A light Kazakh suffix stripper. Snowball has no Kazakh stemmer; Kazakh is agglutinative, so
 * words carry stacks of plural, possessive and case endings ("мүгедектігі", "балаларға",
 * "өтінімімнің"). Stripping the longest known ending while a stem of at least three letters is
 * left, then undoing the voicing of the last consonant (г→к, ғ→қ, б→п), maps the forms people
 * type onto one key. Over-stripping is tolerable: fuzzy matching and the other fields cover it.
 */
const SUFFIXES = [
  // case endings, possibly after a possessive
  'ларының', 'лерінің', 'дарының', 'дерінің', 'тарының', 'терінің',
  'ларына', 'леріне', 'дарына', 'деріне', 'тарына', 'теріне',
  'ларынан', 'лерінен', 'ларында', 'лерінде',
  'ымыздың', 'іміздің', 'ымызға', 'імізге', 'ыңыздың', 'іңіздің',
  'ларға', 'лерге', 'дарға', 'дерге', 'тарға', 'терге',
  'лардың', 'лердің', 'дардың', 'дердің', 'тардың', 'тердің',
  'лардан', 'лерден', 'дардан', 'дерден', 'тардан', 'терден',
  'ларда', 'лерде', 'дарда', 'дерде', 'тарда', 'терде',
  'ларды', 'лерді', 'дарды', 'дерді', 'тарды', 'терді',
  'ымыз', 'іміз', 'ыңыз', 'іңіз', 'ларым', 'лерім', 'ларың', 'лерің', 'лары', 'лері', 'дары', 'дері', 'тары', 'тері',
  'ының', 'інің', 'ына', 'іне', 'ынан', 'інен', 'ында', 'інде', 'ымен', 'імен', 'ымды', 'імді', 'ыңды', 'іңді',
  'ндағы', 'ндегі', 'дағы', 'дегі', 'тағы', 'тегі',
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің',
  'нан', 'нен', 'дан', 'ден', 'тан', 'тен',
  'мен', 'бен', 'пен',
  'лар', 'лер', 'дар', 'дер', 'тар', 'тер',
  'ға', 'ге', 'қа', 'ке', 'на', 'не', 'да', 'де', 'та', 'те',
  'ны', 'ні', 'ды', 'ді', 'ты', 'ті',
  'ым', 'ім', 'ың', 'ің', 'сы', 'сі',
  // verb forms people write in questions
  'ғым', 'гім', 'қым', 'кім', 'ғың', 'гің',
  'амын', 'емін', 'ймын', 'ймін', 'аміз', 'еміз',
  'ған', 'ген', 'қан', 'кен',
  'уге', 'уға', 'уді', 'уды', 'уы', 'уі',
  'ады', 'еді', 'йды', 'йді',
  'ма', 'ме', 'ба', 'бе', 'па', 'пе',
  'ы', 'і', 'а', 'е', 'у', 'м', 'ң', 'н',
].sort((a, b) => b.length - a.length);

const MIN_STEM = 3;

function stripper(suffixes: readonly string[], devoice: Record<string, string>): (word: string) => string {
  return (word) => {
    let stem = word;
    for (let round = 0; round < 4; round += 1) {
      const suffix = suffixes.find((s) => stem.endsWith(s) && stem.length - s.length >= MIN_STEM);
      if (!suffix) break;
      stem = stem.slice(0, -suffix.length);
    }
    const last = stem.at(-1);
    if (last && devoice[last]) stem = stem.slice(0, -1) + devoice[last];
    return stem;
  };
}

export const stemKazakh = stripper(SUFFIXES, { г: 'к', ғ: 'қ', б: 'п' });

/**
 * Kazakh letters that people without a Kazakh keyboard type as their Russian look-alikes
 * ("мугедектик" for "мүгедектік", "кайдан" for "қайдан").
 */
const LOOKALIKE: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };

export function foldKazakh(word: string): string {
  return word.replace(/[әғқңөұүһі]/g, (letter) => LOOKALIKE[letter] ?? letter);
}

/**
 * The key of a word in the look-alike spelling: folded, then its (folded) endings stripped. A
 * separate key from stemKazakh's, for an index of its own: folding merges endings (-ың and -ын),
 * which would cost Kazakh typed with its own letters some of its matches.
 */
const stemFolded = stripper(
  SUFFIXES.map(foldKazakh).filter((suffix, index, all) => all.indexOf(suffix) === index),
  { г: 'к', б: 'п' },
);
export const stemKazakhFolded = (word: string): string => stemFolded(foldKazakh(word));
