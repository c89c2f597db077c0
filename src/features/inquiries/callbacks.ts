import { INQUIRY_TOPICS, type InquiryTopic } from './faq-entry.js';

/** Callback data of the inquiries feature: `iq:<action>[:<arg>[:<arg>]]`, at most 64 bytes. */
export const IQ = 'iq';

export type IqAction =
  | { action: 'helped'; logId: string }
  | { action: 'ask' }
  | { action: 'go'; scene: string }
  | { action: 'rate'; ref: string; rating: number }
  | { action: 'take' | 'close' | 'move' | 'view' | 'reply' | 'faq'; ref: string }
  | { action: 'moveTo'; ref: string; topic: InquiryTopic }
  | { action: 'figures'; days: number };

export const iq = {
  helped: (logId: string) => `${IQ}:ok:${logId}`,
  ask: () => `${IQ}:ask`,
  go: (scene: string) => `${IQ}:go:${scene}`,
  rate: (ref: string, rating: number) => `${IQ}:rate:${ref}:${rating}`,
  staff: (action: 'take' | 'close' | 'move' | 'view' | 'reply' | 'faq', ref: string) => `${IQ}:${action}:${ref}`,
  moveTo: (ref: string, topic: InquiryTopic) => `${IQ}:mv:${ref}:${INQUIRY_TOPICS.indexOf(topic)}`,
  figures: (days: number) => `${IQ}:fig:${days}`,
};

const REF = /^Q-\d{4}-\d{6}$/;

/** `rest` is the data after "iq:"; anything malformed is null (a stale or forged button). */
export function parseIq(rest: string): IqAction | null {
  const [action = '', a = '', b = ''] = rest.split(':');
  switch (action) {
    case 'ok':
      return /^[0-9a-f]{24}$/.test(a) ? { action: 'helped', logId: a } : null;
    case 'ask':
      return { action: 'ask' };
    case 'go':
      return /^[a-z0-9-]{1,40}$/.test(a) ? { action: 'go', scene: a } : null;
    case 'rate': {
      const rating = Number(b);
      return REF.test(a) && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? { action: 'rate', ref: a, rating } : null;
    }
    case 'take':
    case 'close':
    case 'move':
    case 'view':
    case 'reply':
    case 'faq':
      return REF.test(a) ? { action, ref: a } : null;
    case 'mv': {
      const topic = INQUIRY_TOPICS[Number(b)];
      return REF.test(a) && topic && /^\d$/.test(b) ? { action: 'moveTo', ref: a, topic } : null;
    }
    case 'fig': {
      const days = Number(a);
      return [7, 30, 90].includes(days) ? { action: 'figures', days } : null;
    }
    default:
      return null;
  }
}
