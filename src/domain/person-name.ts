// How to address a person: by first name, not "Surname Name Patronymic" ("Рақмет, Әйгерім!",
// not "Рақмет, Сәрсенова Әйгерім Нұрланқызы!"). Names arrive in either order: Kazakh and Russian
// forms put the surname first, English ones last, so the parts are told apart by their endings.

// Patronymics: Kazakh -ұлы/-қызы (also written apart: "Нұрлан қызы"), Russian -ович/-евич/-овна/-евна/-ична, transliterations.
const PATRONYMIC = /(ұлы|улы|қызы|кызы|ович|евич|овна|евна|ична|uly|uli|kyzy|qyzy|ovich|evich|ovna|evna|ichna)$/i;
// Surnames: Russian-style -ов/-ев/-ин (and feminine), -ский/-ская, -енко, and their transliterations.
const SURNAME = /(ова|ева|ина|ына|ов|ев|ин|ын|ский|ская|цкий|цкая|енко|ova|eva|ina|yna|ov|ev|in|yn|sky|skaya|enko)$/i;

/** The first name in a full name, or null when it cannot be told apart from the surname. */
export function firstName(fullName: string): string | null {
  let words = fullName.trim().split(/\s+/).filter(Boolean);
  // "Нұрлан қызы" written as two words: drop both.
  const separate = words.findIndex((w, i) => i > 0 && /^(ұлы|улы|қызы|кызы|uly|kyzy|qyzy)$/i.test(w));
  if (separate > 0) words = [...words.slice(0, separate - 1), ...words.slice(separate + 1)];
  const patronymicAt = words.findIndex((w) => PATRONYMIC.test(w));
  const rest = words.filter((_, i) => i !== patronymicAt);
  if (rest.length === 1) return rest[0]!;
  if (rest.length !== 2) return null;
  const [a, b] = rest as [string, string];
  const aSurname = SURNAME.test(a);
  const bSurname = SURNAME.test(b);
  if (aSurname !== bSurname) return aSurname ? b : a;
  // Both or neither look like surnames: the patronymic's place tells the order.
  if (patronymicAt === 2) return b; // Surname Name Patronymic
  if (patronymicAt === 1) return a; // Name Patronymic Surname
  return null;
}
