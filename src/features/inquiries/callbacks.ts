import { defineCallbacks, field } from '../../engine/callback-codec.js';
import { INQUIRY_TOPICS, type InquiryTopic } from './faq-entry.js';

/** The periods staff may see figures for, in days. */
export const FIGURE_PERIODS = [7, 30, 90] as const;

const ref = field.text(/^Q-\d{4}-\d{6}$/, 'Q-9999-999999');

/** Callback data of the inquiries feature: `iq:<tag>[:<field>…]`, each action defined once. */
export const inquiryCallbacks = defineCallbacks('iq', {
  helped: { tag: 'ok', fields: { logId: field.objectId() } },
  /** "Ask a person" under the offer for an attachment: a question typed anew. */
  ask: { tag: 'ask', fields: {} },
  /** "Ask a person" under a knowledge base answer: the look-up it answered, so its own question goes. */
  askAbout: { tag: 'aq', fields: { logId: field.objectId() } },
  /** "Send it to a person" under a voice message (or other attachment) sent with no question open. */
  attachment: { tag: 'vm', fields: { messageId: field.int(1, 2 ** 31 - 1) } },
  mine: { tag: 'mine', fields: {} },
  go: { tag: 'go', fields: { scene: field.text(/^[a-z0-9-]{1,40}$/, 'x'.repeat(40)) } },
  rate: { tag: 'rate', fields: { ref, rating: field.int(1, 5) } },
  take: { tag: 'take', fields: { ref } },
  close: { tag: 'close', fields: { ref } },
  move: { tag: 'move', fields: { ref } },
  view: { tag: 'view', fields: { ref } },
  reply: { tag: 'reply', fields: { ref } },
  faq: { tag: 'faq', fields: { ref } },
  tell: { tag: 'tell', fields: { ref } },
  /** "Send me the file" under a citizen's file whose name holds an IIN: the message's id in the person's chat. */
  file: { tag: 'fl', fields: { ref, messageId: field.int(1, 2 ** 31 - 1) } },
  moveTo: { tag: 'mv', fields: { ref, topic: field.indexOf(INQUIRY_TOPICS) } },
  figures: { tag: 'fig', fields: { days: field.oneOf(FIGURE_PERIODS) } },
});

export const IQ = inquiryCallbacks.prefix;

export type IqAction = NonNullable<ReturnType<typeof inquiryCallbacks.decode>>;

const encode = inquiryCallbacks.encode;
export const iq = {
  helped: (logId: string) => encode.helped({ logId }),
  ask: () => encode.ask({}),
  askAbout: (logId: string) => encode.askAbout({ logId }),
  attachment: (messageId: number) => encode.attachment({ messageId }),
  mine: () => encode.mine({}),
  go: (scene: string) => encode.go({ scene }),
  rate: (ref: string, rating: number) => encode.rate({ ref, rating }),
  staff: (action: 'take' | 'close' | 'move' | 'view' | 'reply' | 'faq' | 'tell', ref: string) => encode[action]({ ref }),
  moveTo: (ref: string, topic: InquiryTopic) => encode.moveTo({ ref, topic }),
  file: (ref: string, messageId: number) => encode.file({ ref, messageId }),
  figures: (days: (typeof FIGURE_PERIODS)[number]) => encode.figures({ days }),
};

/** `rest` is the data after "iq:"; anything malformed is null (a stale or forged button). */
export const parseIq = (rest: string): IqAction | null => inquiryCallbacks.decode(rest);
