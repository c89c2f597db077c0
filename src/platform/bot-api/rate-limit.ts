import { errors } from './errors.js';

/**
 * Sends per one-second window across the whole bot: above the limit Telegram answers 429 with
 * retry_after, which is what the delivery queue must cope with.
 */
export class SendRateLimit {
  private windowSecond = 0;
  private windowCount = 0;

  constructor(private readonly perSecond: number | undefined) {}

  /** Throws the 429 ApiError when this send is over the limit. */
  take(onReject: () => void): void {
    if (this.perSecond === undefined) return;
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.windowSecond) {
      this.windowSecond = second;
      this.windowCount = 0;
    }
    if (this.windowCount >= this.perSecond) {
      onReject();
      throw errors.tooMany(1);
    }
    this.windowCount++;
  }

  reset(): void {
    this.windowCount = 0;
  }
}
