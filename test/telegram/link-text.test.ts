import { describe, expect, it } from 'vitest';
import { withLinkAddresses } from '../../src/telegram/link-text.js';

const link = (text: string, words: string, url: string) => ({ type: 'text_link', offset: text.indexOf(words), length: words.length, url });

describe('withLinkAddresses', () => {
  it('gives each link under words its address, after the words, in order', () => {
    const text = 'See the portal and the form.';
    expect(withLinkAddresses(text, [link(text, 'form', 'https://b.kz'), link(text, 'portal', 'https://a.kz')])).toBe(
      'See the portal (https://a.kz) and the form (https://b.kz).',
    );
  });

  it('counts offsets as Telegram does (UTF-16), past emoji and Kazakh letters', () => {
    const text = '👉 Өтінімді порталда беріңіз';
    expect(withLinkAddresses(text, [link(text, 'порталда', 'https://egov.kz')])).toBe('👉 Өтінімді порталда (https://egov.kz) беріңіз');
  });

  it('leaves text alone without links, and a link whose words are its address', () => {
    expect(withLinkAddresses('plain', undefined)).toBe('plain');
    const text = 'Go to https://egov.kz now';
    expect(withLinkAddresses(text, [link(text, 'https://egov.kz', 'https://egov.kz'), { type: 'bold', offset: 0, length: 2 }])).toBe(text);
  });
});
