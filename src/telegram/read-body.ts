import type { IncomingMessage } from 'node:http';

/** A request body over the limit: the caller answers 413 and closes the connection. */
export class BodyTooLarge extends Error {}

/**
 * The whole request body, or BodyTooLarge as soon as it is known to be over `max` bytes (by its
 * Content-Length, or while it arrives): a client cannot make the process hold more than `max`.
 * The webhook, the built-in Bot API and the playground page all read bodies through this.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > max) {
      reject(new BodyTooLarge());
      return;
    }
    let size = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      refused = true;
      chunks.length = 0;
      // Stop reading; the 413 goes out and the connection closes.
      req.pause();
      reject(new BodyTooLarge());
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
