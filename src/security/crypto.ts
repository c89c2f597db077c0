import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data (IIN, phone numbers, session drafts) is encrypted with AES-256-GCM. A keyed
 * hash (HMAC-SHA-256) sits beside each encrypted value so records can be looked up by IIN
 * or phone without decrypting them. Separate keys are derived from DATA_KEY for each use,
 * so a leaked lookup hash says nothing about the encryption key.
 */
export interface DataCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Deterministic lookup hash of a normalised value. */
  lookupHash(value: string): string;
}

const VERSION = 'v1';

export function createDataCipher(dataKey: Buffer): DataCipher {
  if (dataKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('komek/encryption');
  const lookupKey = derive('komek/lookup');

  // Deterministic IV construction (NIST SP 800-38D, 8.2.1): a random 64-bit field for this
  // process and a 32-bit counter. Unique without asking the OS for randomness on every message
  // (a measurable cost at thousands of session writes a second); the field is drawn again before
  // the counter could wrap.
  let field = randomBytes(8);
  let counter = 0;
  const nextIv = () => {
    if (counter === 0xffffffff) {
      field = randomBytes(8);
      counter = 0;
    }
    counter += 1;
    const iv = Buffer.allocUnsafe(12);
    field.copy(iv, 0);
    iv.writeUInt32BE(counter, 8);
    return iv;
  };

  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash(value) {
      return createHmac('sha256', lookupKey).update(value).digest('base64url');
    },
  };
}
