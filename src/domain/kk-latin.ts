/**
 * Kazakh written in Latin letters, as people type it on a phone without Cyrillic ("mugedektik
 * turaly anyqtama"), or in the official Latin alphabet ("múgedektik", "anyqtama"), turned into
 * Cyrillic for the Kazakh index. Exactness is not needed: the Kazakh index folds its letters to
 * Russian look-alikes (kk-stemmer.ts), so "қ" written as "q" or "k" meets either way.
 */
const DIGRAPHS: Array<[RegExp, string]> = [
  [/sh/g, 'ш'],
  [/ch/g, 'ч'],
  [/zh/g, 'ж'],
  [/ya/g, 'я'],
  [/yu/g, 'ю'],
];

const LETTERS: Record<string, string> = {
  a: 'а', ä: 'ә', á: 'ә', b: 'б', c: 'с', ç: 'ч', d: 'д', e: 'е', f: 'ф', g: 'г', ǵ: 'ғ', ğ: 'ғ', h: 'х',
  i: 'і', ı: 'ы', j: 'ж', k: 'к', l: 'л', m: 'м', n: 'н', ń: 'ң', ñ: 'ң', o: 'о', ó: 'ө', ö: 'ө', p: 'п',
  q: 'қ', r: 'р', s: 'с', ş: 'ш', t: 'т', u: 'у', ú: 'ұ', ü: 'ү', v: 'в', w: 'у', x: 'х', y: 'ы', z: 'з',
};

/** The text with its Latin words in Cyrillic; a text without Latin letters comes back as it was. */
export function latinKazakhToCyrillic(text: string): string {
  if (!/[a-zäáçǵğıńñóöşúü]/i.test(text)) return text;
  return text.replace(/[\p{Script=Latin}]+/gu, (word) => {
    let out = word.toLowerCase();
    for (const [pattern, letter] of DIGRAPHS) out = out.replace(pattern, letter);
    return [...out].map((ch) => LETTERS[ch] ?? ch).join('');
  });
}
