import { createDataCipher, type DataCipher } from '../../src/security/crypto.js';

// The data key every test bot seals sessions and personal fields with. Its own module so that
// tests which only start bot processes (and read what they stored) need not import the whole bot
// through app-harness.ts: that import alone cost a SIGKILL test file 2-3 s before its first test.
export const TEST_DATA_KEY = 'a'.repeat(64);

/** The cipher of TEST_DATA_KEY, for tests that build a delivery queue or worker themselves. */
export const testCipher = (): DataCipher => createDataCipher(Buffer.from(TEST_DATA_KEY, 'hex'));
