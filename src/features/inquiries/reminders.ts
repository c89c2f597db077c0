import type { AppDeps } from '../../app/types.js';
import { allows } from '../../app/access.js';
import { postToTopic, staffLocale } from './relay.js';

/**
 * Reminds the operators, once, of each inquiry that waited longer than INQUIRY_REMIND_MINUTES for
 * a first answer: in its forum topic, or (without a staff group) by a message to each staff
 * member whose scope covers it. A Redis claim makes "once" hold across several bot processes.
 */
export async function remindWaiting(deps: AppDeps): Promise<number> {
  const { inquiries, users } = deps.services;
  const t = inquiries.t(staffLocale(deps));
  let reminded = 0;
  for (const inquiry of await inquiries.waitingTooLong()) {
    const claimed = await deps.redis.set(`${deps.config.REDIS_PREFIX}:inq:reminded:${inquiry.ref}`, '1', 'EX', 30 * 86_400, 'NX');
    if (!claimed) continue;
    await inquiries.markReminded(inquiry.ref);
    const minutes = Math.round((deps.now().getTime() - new Date(inquiry.createdAt).getTime()) / 60_000);
    const text = t('inquiries:staff.remind', { ref: inquiry.ref, minutes });
    if (deps.config.STAFF_CHAT_ID && inquiry.threadId) {
      await postToTopic(deps, inquiry.threadId, text);
    } else {
      const staff = [...deps.config.ADMIN_IDS.map((telegramId) => ({ telegramId })), ...(await users.listStaff())];
      const scope = { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) };
      const jobs = [];
      for (const member of staff) {
        if (!allows(await deps.services.access.get(member.telegramId), 'inquiries.answer', scope)) continue;
        jobs.push({ id: `inq-remind-${inquiry.ref}-${member.telegramId}`, chatId: member.telegramId, kind: 'notice' as const, text });
      }
      await deps.delivery.enqueue(jobs);
    }
    reminded += 1;
  }
  return reminded;
}

/** The reminder tick of a bot process; stopped on shutdown. */
export function startInquiryReminders(deps: AppDeps, everyMs = 60_000): { stop(): void } {
  const tick = () => remindWaiting(deps).catch((err: unknown) => deps.logger.warn({ err }, 'inquiry reminders failed'));
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
