import type { AppDeps } from '../../app/types.js';
import { allows } from '../../app/access.js';
import type { Inquiry } from './inquiries.service.js';
import type { Locale } from '../../telegram/types.js';
import { openTopic, postIntoTopic, refreshCard, remakeTopic, staffLocale } from './relay.js';
import { topicElsewhere, topicHere } from './topic-group.js';
import { retryErasedTopics } from './erased-topics.js';

/** How long a reminder's claim lasts while it is sent, and once it was sent. */
const SENDING_CLAIM_S = 5 * 60;
const SENT_CLAIM_S = 30 * 86_400;

/**
 * Reminds the operators, once, of each inquiry that waited longer than INQUIRY_REMIND_MINUTES for
 * a first answer: in its forum topic, or (without a staff group, or when its topic could not be
 * made) by a message to each staff member whose scope covers its topic and region. A Redis claim
 * makes "once" hold across several bot processes; it is given back when the reminder could not
 * be sent (Telegram, the queue or the database away), so the next tick tries again. While the
 * send runs the claim lasts minutes only: a process killed before sending leaves no claim that
 * keeps the question unreminded for a month (test/attack/reminder-claim-kill.test.ts).
 */
export async function remindWaiting(deps: AppDeps): Promise<number> {
  const { inquiries } = deps.services;
  let reminded = 0;
  for (const inquiry of await inquiries.waitingTooLong()) {
    const claim = `${deps.config.REDIS_PREFIX}:inq:reminded:${inquiry.ref}`;
    if (!(await deps.redis.set(claim, '1', 'EX', SENDING_CLAIM_S, 'NX'))) continue;
    let sent = false;
    try {
      sent = await sendReminder(deps, inquiry);
    } catch (err) {
      deps.logger.warn({ err, ref: inquiry.ref }, 'inquiry reminder not sent; tried again at the next tick');
    }
    if (!sent) {
      await deps.redis.del(claim);
      continue;
    }
    // The claim, kept now, holds it to once; the record lets the next look-up skip it.
    await deps.redis.expire(claim, SENT_CLAIM_S);
    await inquiries.markReminded(inquiry.ref).catch((err: unknown) => deps.logger.warn({ err, ref: inquiry.ref }, 'reminder not marked'));
    reminded += 1;
  }
  return reminded;
}

async function sendReminder(deps: AppDeps, inquiry: Inquiry): Promise<boolean> {
  const { inquiries, users, access } = deps.services;
  const minutes = Math.round((deps.now().getTime() - new Date(inquiry.createdAt).getTime()) / 60_000);
  const remind = (locale: Locale) => inquiries.t(locale)('inquiries:staff.remind', { ref: inquiry.ref, minutes });
  // Deleted with the person's data since the look-up: nobody is reminded of a question that is
  // gone, nor is its topic (being deleted) posted into. False: the claim goes with the question.
  if (!(await inquiries.get(inquiry.ref))) return false;
  // Its topic in a former staff group (staff moved, the move pass not there yet): made here first.
  const here = topicHere(deps, inquiry) ?? (topicElsewhere(deps, inquiry) ? await openTopic(deps, inquiry.ref) : undefined);
  if (deps.config.STAFF_CHAT_ID && here) {
    await refreshCard(deps, inquiry.ref);
    let post = await postIntoTopic(deps, here, remind(staffLocale(deps)));
    if (post === 'topic-gone') {
      // An admin deleted the topic: a new one with the question, and the reminder in it.
      const threadId = await remakeTopic(deps, inquiry.ref, here);
      // No new topic because the question was deleted meanwhile (its topic went with it): not a
      // group refusing the bot, so the operators are not reminded in private either.
      if (!threadId && !(await inquiries.get(inquiry.ref))) return false;
      post = threadId ? await postIntoTopic(deps, threadId, remind(staffLocale(deps))) : 'no-group';
    }
    // Telegram away: tried again at the next tick. The group refusing the bot (removed, rights
    // taken) will not get better by itself: the operators are reminded in private instead.
    if (post !== 'no-group') return post === 'posted';
  }
  // Admins without a record are written to in the group's language; staff in their own.
  const locales = new Map<number, Locale>(deps.config.ADMIN_IDS.map((id) => [id, staffLocale(deps)]));
  for (const member of await users.listStaff()) locales.set(member.telegramId, member.locale ?? staffLocale(deps));
  const scope = { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) };
  const jobs = [];
  for (const [member, locale] of locales) {
    if (!allows(await access.get(member), 'inquiries.answer', scope)) continue;
    jobs.push({ id: `inq-remind-${inquiry.ref}-${member}`, chatId: member, kind: 'notice' as const, text: remind(locale) });
  }
  await deps.delivery.enqueue(jobs);
  return true;
}

/** The reminder tick of a bot process; stopped on shutdown. */
export function startInquiryReminders(deps: AppDeps, everyMs = 60_000): { stop(): void } {
  const tick = async () => {
    await remindWaiting(deps).catch((err: unknown) => deps.logger.warn({ err }, 'inquiry reminders failed'));
    // Topics of deleted questions that Telegram could not delete (or close) when the person deleted
    // their data, those it refused to delete (asked again once a day), and old records of deleted ones.
    await retryErasedTopics(deps).catch((err: unknown) => deps.logger.warn({ err }, 'erased topics not deleted'));
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
