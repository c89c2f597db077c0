import type { Connection } from 'mongoose';
import { counterModel, nextSequence } from '../../db/models/counter.js';

/**
 * The directory's version: a counter every import that adds or changes a centre moves on. A
 * search keeps the version it was made with, so its later pages can say the directory changed
 * since (they keep the order first shown). Two imports at once may both read the same next value
 * on FerretDB (see counter.ts); the note is then shown for either, which is all it is for.
 */
const DIRECTORY_VERSION = 'centres-directory';

export async function bumpDirectoryVersion(connection: Connection): Promise<void> {
  await nextSequence(connection, DIRECTORY_VERSION);
}

/** 0 until the first import. */
export async function directoryVersion(connection: Connection): Promise<number> {
  const doc = await counterModel(connection).findById(DIRECTORY_VERSION).lean<{ seq: number }>();
  return doc?.seq ?? 0;
}
