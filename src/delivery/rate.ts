import type { Config } from '../config.js';

/** Messages per second of the delivery queue: the paid-broadcast rate when that is on. */
export function deliveryRate(config: Config): number {
  return config.PAID_BROADCASTS ? config.PAID_BROADCAST_RATE : config.DELIVERY_RATE;
}
