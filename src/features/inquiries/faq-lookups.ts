import { z } from 'zod';

/**
 * Which question each knowledge base answer on screen was for. `faqLog` / `faqQuestion` in the
 * session are the latest look-up (typed "This helped" / "Ask a person" act on it); `faqEarlier`
 * keeps the two before it, newest first, so the buttons under an earlier answer, still on
 * screen, act on that answer's own question and not on whatever was asked last.
 */
const EARLIER_KEPT = 2;

/** The question was a message forwarded from someone else: "Ask a person" carries the mark on. */
const forwardedSchema = z.object({ from: z.string().optional() });
const lookupSchema = z.object({ log: z.string(), question: z.string(), forwarded: forwardedSchema.optional() });
const earlierSchema = z.array(lookupSchema);
export type Lookup = z.infer<typeof lookupSchema>;
type Data = Record<string, unknown>;

function earlierOf(data: Data): Lookup[] {
  const parsed = earlierSchema.safeParse(data.faqEarlier);
  return parsed.success ? parsed.data : [];
}

/** The latest look-up, when the session has one. */
export function currentOf(data: Data): Lookup | undefined {
  if (typeof data.faqLog !== 'string' || typeof data.faqQuestion !== 'string') return undefined;
  const forwarded = forwardedSchema.safeParse(data.faqForwarded);
  return { log: data.faqLog, question: data.faqQuestion, ...(forwarded.success ? { forwarded: forwarded.data } : {}) };
}

/** The session data with `next` as the latest look-up (or none), the one before kept as earlier. */
export function withCurrentLookup(data: Data, next: Lookup | undefined): Data {
  const { faqLog: _log, faqQuestion: _question, faqForwarded: _forwarded, faqEarlier: _earlier, ...rest } = data;
  const current = currentOf(data);
  const earlier = [...(current ? [current] : []), ...earlierOf(data)].filter((l) => l.log !== next?.log).slice(0, EARLIER_KEPT);
  return {
    ...rest,
    ...(next ? { faqLog: next.log, faqQuestion: next.question, ...(next.forwarded ? { faqForwarded: next.forwarded } : {}) } : {}),
    ...(earlier.length ? { faqEarlier: earlier } : {}),
  };
}

/** The look-up with this log (its question, whether it was forwarded), when the session still knows it. */
export function lookupOf(data: Data, log: string): Lookup | undefined {
  return [currentOf(data), ...earlierOf(data)].find((l) => l?.log === log);
}

/** The session data without this look-up (it was settled: "This helped"); the others stay. */
export function withoutLookup(data: Data, log: string): Data {
  if (currentOf(data)?.log === log) {
    const { faqLog: _log, faqQuestion: _question, faqForwarded: _forwarded, ...rest } = data;
    return rest;
  }
  const earlier = earlierOf(data).filter((l) => l.log !== log);
  const { faqEarlier: _earlier, ...rest } = data;
  return earlier.length ? { ...rest, faqEarlier: earlier } : rest;
}
