export const DELIVERY_QUEUE_NAME = 'delivery';

/** Redis keys the queue and the workers share, beside BullMQ's own `<prefix>:delivery:*`. */
export function deliveryKeys(prefix: string) {
  const base = `${prefix}:dlv`;
  return {
    /** Set for a second after a message to the chat: Telegram allows about one per second per chat. */
    chat: (chatId: number) => `${base}:chat:${chatId}`,
    /** Set for retry_after after a 429: nobody sends until it is gone. */
    pause: `${base}:pause`,
    /** The job's outcome was recorded: never send or count it again. */
    done: (jobId: string) => `${base}:done:${jobId}`,
    /** Set once a withheld job's refusal is audited, so a retry does not audit it again. */
    withheldAudited: (jobId: string) => `${base}:withheld:${jobId}`,
    /**
     * The ids of the jobs with a text queued to a chat (kept as long as BullMQ keeps a failed
     * job), so "delete my data" can remove every message to the person, sent or waiting.
     */
    chatJobs: (chatId: number) => `${base}:chat-jobs:${chatId}`,
    /** Cancelled while a worker held it. */
    cancelled: (jobId: string) => `${base}:cancelled:${jobId}`,
    /** The broadcast was cancelled: every worker drops its jobs at the last check. */
    broadcastCancelled: (broadcastId: string) => `${base}:bc-cancelled:${broadcastId}`,
    /** A hash of a broadcast's outcome counts, kept exact by the same script as the done marker. */
    broadcastCounts: (broadcastId: string) => `${base}:bc-counts:${broadcastId}`,
    /** Throttle of writing a broadcast's counts to MongoDB. */
    progressWrite: (broadcastId: string) => `${base}:progress-write:${broadcastId}`,
    /** Held by the one worker that resumes a broadcast whose queueing stopped half-way. */
    enqueueClaim: (broadcastId: string) => `${base}:bc-enqueue:${broadcastId}`,
    /** Held by the one worker that sends a broadcast's progress message. */
    progressClaim: (broadcastId: string) => `${base}:bc-progress-msg:${broadcastId}`,
    /**
     * The person blocked the bot / turned announcements off (or was erased): copies of the user
     * record's flags, written by UsersService, so the send-time check of a broadcast job is one
     * Redis look-up instead of a database query per message (see services/reach-markers.ts).
     */
    blocked: (chatId: number) => `${base}:blocked:${chatId}`,
    noAnnouncements: (chatId: number) => `${base}:no-announcements:${chatId}`,
    /** The person deleted their data lately: a tap on a button from before makes no account (ReachMarkers.forget). */
    erased: (chatId: number) => `${base}:erased:${chatId}`,
    /** The language the person chose since their broadcast jobs may have been queued (ReachMarkers.setLanguage). */
    language: (chatId: number) => `${base}:language:${chatId}`,
    /** The next free send slot of the global rate (GCRA), in ms: see the delivery gate. */
    rate: `${base}:rate`,
    /** Held by the one worker that sends a broadcast's final report. */
    finished: (broadcastId: string) => `${base}:bc-finished:${broadcastId}`,
    /** Throttle of the broadcast progress message, shared by every worker. */
    progress: (broadcastId: string) => `${base}:progress:${broadcastId}`,
  };
}
