/**
 * "Did this answer your question?" answered in words instead of a tap: "да, спасибо", "жоқ",
 * "no, it did not help", 👍. Read as the button they mean, so they are not looked up as new
 * questions (a miss in the figures, and "Ask a person" carrying "Нет" instead of the question).
 * The whole message must be such words: anything more is a question of its own.
 */
const NO = new Set(['нет', 'неа', 'жоқ', 'жок', 'no', 'nope', 'көмектеспеді', '👎']);
/** Words that may stand with a "no" ("нет, не помогло", "no, it didn't help"). */
const WITH_NO = new Set(['не', 'помогло', 'совсем', 'it', 'did', "didn't", 'didnt', 'not', 'help', 'helped', 'really']);
const YES = new Set([
  'да', 'ага', 'иә', 'ия', 'иа', 'yes', 'yeah', 'yep', 'ok', 'okay', 'ок', 'окей', 'хорошо', 'понятно', 'жақсы', 'түсінікті',
  'спасибо', 'благодарю', 'рахмет', 'рақмет', 'thanks', 'помогло', 'көмектесті', 'helped', '👍', '🙏', '👌', '❤', '😊', '🙂',
]);
/** Words that may stand with a "yes" ("thank you very much", "рахмет сізге", "спасибо большое"). */
const WITH_YES = new Set(['thank', 'you', 'very', 'much', 'it', 'большое', 'вам', 'сізге', 'көп']);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\uFE0F/g, '')
    // Emoji stand alone even when typed without spaces ("👍👍", "спасибо🙏").
    .replace(/(\p{Extended_Pictographic})/gu, ' $1 ')
    .replace(/[.,!?;:()"«»—–-]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** What a short typed reply under a knowledge base answer means, if it is only a yes or a no. */
export function replyToAnswer(text: string): 'helped' | 'ask' | null {
  if (text.length > 100) return null;
  const said = words(text);
  if (said.some((w) => NO.has(w)) && said.every((w) => NO.has(w) || WITH_NO.has(w))) return 'ask';
  if (said.some((w) => YES.has(w)) && said.every((w) => YES.has(w) || WITH_YES.has(w))) return 'helped';
  return null;
}
