import type { StartUpLocks } from '../../src/app/types.js';
import { userRecordLock } from '../../src/services/user-record-lock.js';
import type { TestApp } from './app-harness.js';

/** The locks start-up tasks take, over the test app's Redis, as main.ts gives them. */
export function startUpLocks(app: Pick<TestApp, 'bot'>): StartUpLocks {
  return { userRecord: userRecordLock(app.bot.deps) };
}
