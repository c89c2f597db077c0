import { z } from 'zod';

/**
 * Which question each knowledge base answer on screen was for. `faqLog` / `faqQuestion` in the
 * session are the latest look-up (typed "This helped" / "Ask a person" act on it); `faqEarlier`
 * keeps the two before it, newest first, so the buttons under an earlier answer, still on
 * screen, act on that answer's own question and not on whatever was asked last.
 */
const EARLIER_KEPT = 2;

const earlierSchema = z.array(z.object({ log: z.string(), question: z.string() }));
type Lookup = z.infer<typeof earlierSchema>[number];
type Data = Record<string, unknown>;

function earlierOf(data: Data): Lookup[] {
  const parsed = earlierSchema.safeParse(data.faqEarlier);
  return parsed.success ? parsed.data : [];
}

function currentOf(data: Data): Lookup | undefined {
  return typeof data.faqLog === 'string' && typeof data.faqQuestion === 'string' ? { log: data.faqLog, question: data.faqQuestion } : undefined;
}

/** The session data with `next` as the latest look-up (or none), the one before kept as earlier. */
export function withCurrentLookup(data: Data, next: Lookup | undefined): Data {
  const { faqLog: _log, faqQuestion: _question, faqEarlier: _earlier, ...rest } = data;
  const current = currentOf(data);
  const earlier = [...(current ? [current] : []), ...earlierOf(data)].filter((l) => l.log !== next?.log).slice(0, EARLIER_KEPT);
  return { ...rest, ...(next ? { faqLog: next.log, faqQuestion: next.question } : {}), ...(earlier.length ? { faqEarlier: earlier } : {}) };
}

/** The question a look-up was for, when the session still knows it. */
export function lookupQuestion(data: Data, log: string): string | undefined {
  return [currentOf(data), ...earlierOf(data)].find((l) => l?.log === log)?.question;
}

/** The session data without this look-up (it was settled: "This helped"); the others stay. */
export function withoutLookup(data: Data, log: string): Data {
  if (currentOf(data)?.log === log) {
    const { faqLog: _log, faqQuestion: _question, ...rest } = data;
    return rest;
  }
  const earlier = earlierOf(data).filter((l) => l.log !== log);
  const { faqEarlier: _earlier, ...rest } = data;
  return earlier.length ? { ...rest, faqEarlier: earlier } : rest;
}
