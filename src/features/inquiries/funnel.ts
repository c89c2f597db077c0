import type { Redis } from 'ioredis';
import { kzDateParts } from '../../domain/kz-time.js';
import type { Locale } from '../../telegram/types.js';

/**
 * Where people give up: per day (Kazakhstan time), per scene, step and language, how many reached
 * each step and how many finished. Counters only, in Redis hashes kept for 400 days; no user id.
 */
const KEEP_SECONDS = 400 * 24 * 3600;

export const dayKey = (date: Date): string => {
  const p = kzDateParts(date);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

const key = (prefix: string, day: string) => `${prefix}:funnel:${day}`;

export async function countStep(redis: Redis, prefix: string, now: Date, scene: string, step: string, locale: Locale): Promise<void> {
  const k = key(prefix, dayKey(now));
  await redis.multi().hincrby(k, `${scene}|${step}|${locale}`, 1).expire(k, KEEP_SECONDS).exec();
}

export interface FunnelRow {
  scene: string;
  step: string;
  locale: string;
  count: number;
}

/** Sums the counters of the last `days` days, today included. */
export async function readFunnel(redis: Redis, prefix: string, now: Date, days: number): Promise<FunnelRow[]> {
  const totals = new Map<string, number>();
  const pipeline = redis.pipeline();
  for (let d = 0; d < days; d += 1) pipeline.hgetall(key(prefix, dayKey(new Date(now.getTime() - d * 86_400_000))));
  const results = (await pipeline.exec()) ?? [];
  for (const [, value] of results) {
    for (const [field, count] of Object.entries((value ?? {}) as Record<string, string>)) totals.set(field, (totals.get(field) ?? 0) + Number(count));
  }
  return [...totals.entries()].map(([field, count]) => {
    const [scene = '', step = '', locale = ''] = field.split('|');
    return { scene, step, locale, count };
  });
}
