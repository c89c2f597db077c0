import { Schema, Types, type Connection } from 'mongoose';
import { upsertRacing } from './counter.js';

/**
 * One record per start-up pass (src/app/start-up.ts). `finishedAt` marks a pass done for good: a
 * start then pays one look-up by id for it and reads nothing else. A walk (walkUntilSettled)
 * also keeps here how far it went (`after`), so a start stopped part-way (a crash, a deploy
 * killed, a record lock that waited too long) leaves the records it went through behind it.
 */
const startUpPassSchema = new Schema(
  {
    /** The pass's name; a new name (a version suffix) makes a pass run once more. */
    _id: { type: String, required: true },
    /** Done for good. Records of the first release of these marks have only this field. */
    finishedAt: { type: Date },
    /** A walk's last record handled (in `_id` order): the next start goes on after it. */
    after: { type: Schema.Types.ObjectId },
    /** When a start first reached the end: the pass is done for good once a start SETTLE_MS later has too. */
    reachedEndAt: { type: Date },
    /** When a start last reached the end: a walk after it goes back to a little before (CLOCK_MARGIN_S). */
    endedAt: { type: Date },
  },
  { versionKey: false },
);

interface PassMark {
  finishedAt?: Date | null;
  after?: Types.ObjectId | null;
  reachedEndAt?: Date | null;
  endedAt?: Date | null;
}

const build = (connection: Connection) => connection.model('StartUpPass', startUpPassSchema);
type StartUpPassModel = ReturnType<typeof build>;

function startUpPassModel(connection: Connection): StartUpPassModel {
  return (connection.models.StartUpPass as StartUpPassModel | undefined) ?? build(connection);
}

/**
 * Why a back-fill does not stop at the first start that reaches its end: that start runs while
 * the previous release still serves (a deploy starts the new one first), and a release from
 * before the back-filled field writes records without it until it is stopped (or for as long as
 * it is rolled back to). So a settling pass runs again at later starts, and only one that
 * *began* this long after the first end marks it done for good: by then no process of the old
 * release can be serving, and what they wrote is behind that start. The starts in between cost
 * little: a walk goes on from its mark (on MongoDB an `_id` range of the records written since),
 * and a self-finding pass asks for what is still owed (an index read on MongoDB).
 * We chose this over marking the release that finished a pass: a release mark makes every
 * deploy run every pass over millions of records once more, and still misses what the old
 * release writes after the new one's start. A day covers a deploy's overlap and a same-day
 * rollback; a rollback of longer below the release that brought a field needs the pass run again
 * (a new name, or forgetFinished), as ever.
 */
export const SETTLE_MS = 24 * 60 * 60 * 1000;
/**
 * ObjectIds are made by the writing process, from its own clock: a record inserted by another
 * host just after the walk's end may carry a smaller id than the mark. A settling walk goes back
 * to this long before the last end, when the mark is later than that (records seen twice change
 * nothing: every write is conditional). Hosts' clocks kept by NTP differ by far less.
 */
const CLOCK_MARGIN_S = 60;
/** A walk saves its mark every this many records (and when it stops on an error). */
const MARK_EVERY = 100;

async function markOf(connection: Connection, name: string): Promise<PassMark | null> {
  return startUpPassModel(connection).findById(name, { finishedAt: 1, after: 1, reachedEndAt: 1, endedAt: 1 }).lean<PassMark>();
}

async function setMark(connection: Connection, name: string, fields: PassMark): Promise<void> {
  // Two processes writing together (see runStartUpTasks: they wait for each other, but a lock can
  // expire under a stalled Redis) both upsert: the second finds the first's record.
  await upsertRacing(() => startUpPassModel(connection).updateOne({ _id: name }, { $set: fields }, { upsert: true }));
}

/** What a start that reached the end of a settling pass, having begun at `began`, writes. */
function endReached(mark: PassMark | null, began: Date): PassMark {
  const first = mark?.reachedEndAt;
  const now = new Date();
  if (first && began.getTime() - first.getTime() >= SETTLE_MS) return { finishedAt: now, endedAt: now };
  return { reachedEndAt: first ?? now, endedAt: now };
}

/**
 * Runs `pass` unless a start has run it to its end already, and marks it finished once it
 * returns (a pass that throws stays unmarked). For work no release before this one can owe again
 * (a cache of this release's own). The pass must be safe to run again, going on from what an
 * earlier start did. Returns what the pass returned, 0 when skipped.
 */
export async function runUntilFinished(connection: Connection, name: string, pass: () => Promise<number>): Promise<number> {
  if ((await markOf(connection, name))?.finishedAt) return 0;
  const changed = await pass();
  await setMark(connection, name, { finishedAt: new Date() });
  return changed;
}

/**
 * Runs `pass` at every start until it settles (SETTLE_MS), then never again. For a pass that
 * finds by itself the records still owed (a query for the field missing), so a start stopped
 * part-way leaves to the next only what it had not done. Returns what the pass returned.
 */
export async function runUntilSettled(connection: Connection, name: string, pass: () => Promise<number>): Promise<number> {
  const began = new Date();
  const mark = await markOf(connection, name);
  if (mark?.finishedAt) return 0;
  const changed = await pass();
  await setMark(connection, name, endReached(mark, began));
  return changed;
}

export interface Walked {
  _id: Types.ObjectId;
}

/**
 * Hands `handle` every record of a collection once, in `_id` order, across starts: the mark
 * saved as it goes lets a start stopped part-way go on after the last record handled, and a start
 * after the end handles only records inserted since (less CLOCK_MARGIN_S), until it settles
 * (SETTLE_MS). `records(after)` reads those after an `_id` (all when undefined), sorted by `_id`:
 * on MongoDB an index range; FerretDB 1.24 pushes neither the range nor the sort down and reads
 * the collection once per start that walks, never once per page. `handle` returns how many
 * records it changed, and must change nothing twice when given a record again. Returns the total.
 */
export async function walkUntilSettled<T extends Walked>(
  connection: Connection,
  name: string,
  records: (after: Types.ObjectId | undefined) => AsyncIterable<T>,
  handle: (record: T) => Promise<number>,
): Promise<number> {
  const began = new Date();
  const mark = await markOf(connection, name);
  if (mark?.finishedAt) return 0;
  let after = mark?.after ?? undefined;
  const ended = mark?.endedAt ?? mark?.reachedEndAt;
  if (after && ended) {
    // Past the end before: the records since, and those another host's clock may have put behind the mark.
    const margin = Types.ObjectId.createFromTime(Math.floor(ended.getTime() / 1000) - CLOCK_MARGIN_S);
    if (margin.toHexString() < after.toHexString()) after = margin;
  }
  let changed = 0;
  // The mark never goes back: a settling walk goes over records before it again.
  let furthest = mark?.after ?? undefined;
  let unsaved = 0;
  try {
    for await (const record of records(after)) {
      changed += await handle(record);
      if (!furthest || record._id.toHexString() > furthest.toHexString()) {
        furthest = record._id;
        unsaved += 1;
      }
      if (unsaved >= MARK_EVERY) {
        await setMark(connection, name, { after: furthest });
        unsaved = 0;
      }
    }
  } catch (error) {
    // Stopped on an error (a record lock that waited too long): the next start goes on from here.
    if (unsaved > 0 && furthest) await setMark(connection, name, { after: furthest }).catch(() => undefined);
    throw error;
  }
  const end = endReached(mark, began);
  await setMark(connection, name, furthest ? { ...end, after: furthest } : end);
  return changed;
}

/** The work of a finished pass is owed again (what it built was dropped): the next start runs it. */
export async function forgetFinished(connection: Connection, name: string): Promise<void> {
  await startUpPassModel(connection).deleteOne({ _id: name });
}
