/** The part of a Bot API message entity that carries an address: a link written under words. */
export interface LinkEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

/**
 * A text with each link written under words ("the portal", the address under it: `text_link`)
 * given its address after the words: "the portal (https://…)". The bot sends plain text, so
 * without this the words arrive and the address does not (an operator's answer pasted from a
 * web page). Offsets count UTF-16 units, as JavaScript strings do.
 */
export function withLinkAddresses(text: string, entities: readonly LinkEntity[] | undefined): string {
  const links = (entities ?? [])
    .filter((e): e is LinkEntity & { url: string } => e.type === 'text_link' && typeof e.url === 'string' && e.url !== '')
    .filter((e) => text.slice(e.offset, e.offset + e.length).trim() !== e.url)
    .sort((a, b) => b.offset + b.length - (a.offset + a.length));
  let out = text;
  for (const e of links) {
    const end = e.offset + e.length;
    out = `${out.slice(0, end)} (${e.url})${out.slice(end)}`;
  }
  return out;
}
