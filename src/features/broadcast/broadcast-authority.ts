import { Types } from 'mongoose';
import { broadcastModel, type BroadcastDoc, type BroadcastModel } from './broadcast.model.js';
import { snippet, textFor } from './broadcast-render.js';
import { userModel, type UserModel } from '../../db/models/user.js';
import { allows } from '../../app/access.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type { AccessService } from '../../services/access.js';
import type { BroadcastsService } from './broadcasts.service.js';

/**
 * The repair pass looks back a day: well within the week the queue keeps sent jobs, so a notice
 * queued again has the id of the first and is dropped.
 */
const REPAIR_WINDOW_MS = 24 * 60 * 60 * 1000;
const SETTLE_MS = 60_000;

interface Author {
  createdBy: number;
  region?: string;
}

/**
 * A broadcast is sent for the staff member who wrote it, often later (scheduled) or over a long
 * time (a large audience). Each job asks, when it runs, whether its author may still send to
 * that audience; the first job that finds they may not cancels the rest of the broadcast, and the
 * refusal is audited. Notices of decisions already taken (a grant status, a cancelled mission)
 * are not held back: they tell citizens about something that has already happened.
 */
export class BroadcastAuthority {
  private readonly broadcasts: BroadcastModel;
  private readonly users: UserModel;
  /** Author and audience never change after creation, so they are remembered per broadcast. */
  private readonly authors = new Map<string, Author | null>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly access: AccessService,
    private readonly service: BroadcastsService,
  ) {
    this.broadcasts = broadcastModel(deps.connection);
    this.users = userModel(deps.connection);
  }

  async stillAllowed(broadcastId: string): Promise<boolean> {
    const author = await this.authorOf(broadcastId);
    if (!author) return true;
    // A broadcast to every region needs a broadcaster without a region limit.
    if (allows(await this.access.get(author.createdBy), 'broadcasts.send', { region: author.region ?? 'any' })) return true;
    const cancelled = await this.service.cancel(broadcastId, author.createdBy, { withdrawn: true });
    if (cancelled) await this.finishWithdrawal(cancelled);
    return false;
  }

  /**
   * The repair pass: broadcasts withdrawn in the last day (older than a minute: one being
   * withdrawn right now is left to its own process) whose author a crash left untold. As often
   * as it runs, from any number of processes at once, the author gets one notice (its job id)
   * and the refusal one audit line (its key). Returns how many were finished.
   */
  async finishWithdrawals(now = this.deps.now()): Promise<number> {
    const untold = await this.service.withdrawnUntold(new Date(now.getTime() - REPAIR_WINDOW_MS), new Date(now.getTime() - SETTLE_MS));
    for (const doc of untold) {
      await this.service.afterCancel(doc, doc.cancelledBy ?? doc.createdBy);
      await this.finishWithdrawal(doc);
    }
    return untold.length;
  }

  /** The author's notice, the refusal's audit line, then the mark that both are done. */
  private async finishWithdrawal(doc: BroadcastDoc): Promise<void> {
    const id = String(doc._id);
    await this.tellAuthor(doc);
    await this.access.recordDeniedOnce(`broadcast-withdrawn:${id}`, doc.createdBy, 'broadcasts.send', `broadcast:${id}`, { at: 'delivery' });
    await this.service.markAuthorTold(id);
  }

  /**
   * The author was told "it will be sent" (or saw it start): without a word they would believe it
   * went out. Told even after losing staff access altogether, as it is about their own message,
   * but not after deleting their data; the job id makes it once per broadcast.
   */
  private async tellAuthor(doc: BroadcastDoc): Promise<void> {
    // Someone who deleted their data has no chat with the bot any more.
    if (!(await this.users.exists({ telegramId: doc.createdBy }))) return;
    const locale = doc.staffLocale;
    const text = snippet(textFor(doc.texts, doc.fallback, locale));
    await this.deps.delivery.enqueue([
      { id: `bc-withdrawn-${String(doc._id)}`, chatId: doc.staffChatId, kind: 'notice', text: this.deps.i18n.t(locale)('broadcast:withdrawn', { text }) },
    ]);
  }

  private async authorOf(id: string): Promise<Author | null> {
    const known = this.authors.get(id);
    if (known !== undefined) return known;
    const doc = Types.ObjectId.isValid(id)
      ? await this.broadcasts.findById(id, { createdBy: 1, 'audience.region': 1 }).lean<{ createdBy: number; audience?: { region?: string } }>()
      : null;
    const author = doc ? { createdBy: doc.createdBy, ...(doc.audience?.region ? { region: doc.audience.region } : {}) } : null;
    if (this.authors.size > 1000) this.authors.clear();
    this.authors.set(id, author);
    return author;
  }
}
