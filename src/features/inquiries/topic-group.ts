import type { InquiryRecord } from './inquiry.model.js';

/**
 * Which staff group a question's topic is in. Thread ids are numbered per group, so a thread id
 * means nothing without its group: after staff move to another group (STAFF_CHAT_ID changed), a
 * question's old thread id may be the id of another question's topic in the new group.
 */
type WithTopic = Pick<InquiryRecord, 'threadId' | 'staffChatId'>;

/**
 * The group of the question's topic. A record from before the group was kept is in the
 * configured group: the start-up pass (topic-group-backfill.ts) writes that down at the first
 * start of this release, and a record the previous release writes during a deploy is read so too.
 */
export const topicGroup = (inquiry: WithTopic, staffChatId: number): number => inquiry.staffChatId ?? staffChatId;

/**
 * The group of the question's topic, also with no staff group configured any more (STAFF_CHAT_ID
 * unset after a while with one): the record names it. "Delete my data" still deletes the topic
 * there. Undefined only for a record from before the group was kept, with no group configured.
 */
export const knownTopicGroup = (inquiry: WithTopic, staffChatId: number | undefined): number | undefined => inquiry.staffChatId ?? staffChatId;

/** The question's topic in the current staff group; undefined when it has none there (none at all, or one in a former group). */
export function topicHere(deps: { config: { STAFF_CHAT_ID?: number | undefined } }, inquiry: WithTopic): number | undefined {
  const staffChatId = deps.config.STAFF_CHAT_ID;
  if (!staffChatId || !inquiry.threadId) return undefined;
  return topicGroup(inquiry, staffChatId) === staffChatId ? inquiry.threadId : undefined;
}

/** The question's topic is in a former staff group: it is left there (deleted), and an open question gets one here. */
export function topicElsewhere(deps: { config: { STAFF_CHAT_ID?: number | undefined } }, inquiry: WithTopic): boolean {
  const staffChatId = deps.config.STAFF_CHAT_ID;
  return !!staffChatId && !!inquiry.threadId && topicGroup(inquiry, staffChatId) !== staffChatId;
}
