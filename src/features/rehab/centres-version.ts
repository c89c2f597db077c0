import { Schema, type Connection } from 'mongoose';
import { counterModel, isDuplicateKey } from '../../db/models/counter.js';

/**
 * The directory's version: a number every import that adds or changes a centre moves on. A
 * search keeps the version it was made with, so its later pages can say the directory changed
 * since (they keep the order first shown).
 *
 * The number of each import is a record of its own, the number its `_id`, and the version is the
 * highest: the unique `_id` gives two imports at once two numbers, one after the other. A `$inc`
 * of one counter (what an earlier release did) gave both the same number on FerretDB, which
 * writes an update as the whole document it read; with three imports at once the counter could
 * even go back to a number a search already held, and that search would miss the note.
 */
const versionSchema = new Schema({ _id: { type: Number, required: true }, at: { type: Date, required: true } }, { versionKey: false, collection: 'centredirectoryversions' });

const build = (connection: Connection) => connection.model('CentreDirectoryVersion', versionSchema);

function versionModel(connection: Connection): ReturnType<typeof build> {
  return (connection.models.CentreDirectoryVersion as ReturnType<typeof build> | undefined) ?? build(connection);
}

/** The counter an earlier release moved on: where the numbers go on from. */
const LEGACY_COUNTER = 'centres-directory';

/** Numbers taken by other imports in a row before this one gets its own: far more than ever run at once. */
const MAX_TAKEN = 50;

/** Moves the version on; returns the number this import got (no other import gets it). */
export async function bumpDirectoryVersion(connection: Connection): Promise<number> {
  const versions = versionModel(connection);
  for (let taken = 0; ; taken += 1) {
    const next = (await directoryVersion(connection)) + 1;
    try {
      await versions.create({ _id: next, at: new Date() });
    } catch (error) {
      // Another import took this number a moment ago: the next one, read again.
      if (!isDuplicateKey(error) || taken >= MAX_TAKEN) throw error;
      continue;
    }
    // The ones below stay (a few bytes per import): deleting them freed their numbers for an
    // import that had read the highest before they were taken, and two imports shared one.
    return next;
  }
}

/** 0 until the first import. */
export async function directoryVersion(connection: Connection): Promise<number> {
  const newest = await versionModel(connection).findOne({}, { _id: 1 }).sort({ _id: -1 }).lean<{ _id: number }>();
  if (newest) return newest._id;
  // Last imported by an earlier release: its counter, so searches made then still compare right.
  const legacy = await counterModel(connection).findById(LEGACY_COUNTER).lean<{ seq: number }>();
  return legacy?.seq ?? 0;
}
