import type { DataCipher } from '../security/crypto.js';
import type { DeliveryJob } from './types.js';

/**
 * A DeliveryJob as it rests in Redis. The text is sealed (`textSealed`, AES-256-GCM with the
 * DATA_KEY cipher): jobs wait there for minutes to days and BullMQ keeps sent ones a week (failed
 * ones a month) for their ids, and these texts are operators' answers to citizens' questions,
 * decisions on grant applications and mission details, which may name a person, an IIN or a phone
 * number. A Redis dump, a replica or `MONITOR` then shows no message. `text` stays only for jobs
 * queued before texts were sealed, and is empty for broadcast jobs (rendered at send time).
 * Dates are strings in JSON.
 */
export type StoredJobData = Omit<DeliveryJob, 'notBefore' | 'text'> & {
  text?: string;
  textSealed?: string;
  notBefore?: string;
};

export function toStored(job: DeliveryJob, cipher: DataCipher): StoredJobData {
  const { notBefore, text, ...rest } = job;
  return {
    ...rest,
    // An empty text (a broadcast job) has nothing to hide and stays empty: 200,000 of them cost
    // no encryption and no bytes.
    ...(text === '' ? { text: '' } : { textSealed: cipher.encrypt(text) }),
    ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
  };
}

/** Thrown when a sealed text cannot be opened (DATA_KEY changed, or the data was altered). */
export class UnreadableJobError extends Error {}

export function fromStored(data: StoredJobData, cipher: DataCipher): DeliveryJob {
  const { notBefore, text, textSealed, ...rest } = data;
  let plain = text ?? '';
  if (textSealed !== undefined) {
    try {
      plain = cipher.decrypt(textSealed);
    } catch {
      throw new UnreadableJobError('the job text cannot be opened with this DATA_KEY');
    }
  }
  return { ...rest, text: plain, ...(notBefore ? { notBefore: new Date(notBefore) } : {}) };
}
