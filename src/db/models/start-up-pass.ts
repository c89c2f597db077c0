import { Schema, type Connection } from 'mongoose';
import { upsertRacing } from './counter.js';

/**
 * One record per start-up pass run to its end (src/app/start-up.ts). A pass whose remaining work
 * cannot be found cheaply (a flag missing on some records, not on others) is marked here when it
 * finishes, and not before: a start stopped part-way (a crash, a deploy killed, a record lock
 * that waited too long) leaves no mark, so the next start runs the whole pass again, and a pass
 * marked finished costs one look-up by id.
 */
const startUpPassSchema = new Schema(
  {
    /** The pass's name; a new name (a version suffix) makes a pass run once more. */
    _id: { type: String, required: true },
    finishedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const build = (connection: Connection) => connection.model('StartUpPass', startUpPassSchema);
type StartUpPassModel = ReturnType<typeof build>;

function startUpPassModel(connection: Connection): StartUpPassModel {
  return (connection.models.StartUpPass as StartUpPassModel | undefined) ?? build(connection);
}

/**
 * Runs `pass` unless a start has run it to its end already, and marks it finished once it
 * returns (a pass that throws stays unmarked). The pass must be safe to run again from the
 * start, and from two processes at once. Returns what the pass returned, 0 when skipped.
 */
export async function runUntilFinished(connection: Connection, name: string, pass: () => Promise<number>): Promise<number> {
  const passes = startUpPassModel(connection);
  if ((await passes.exists({ _id: name })) !== null) return 0;
  const changed = await pass();
  // Two processes finishing together both insert: the second finds the first's record.
  await upsertRacing(() => passes.updateOne({ _id: name }, { $setOnInsert: { finishedAt: new Date() } }, { upsert: true }));
  return changed;
}

/** The work of a finished pass is owed again (what it built was dropped): the next start runs it. */
export async function forgetFinished(connection: Connection, name: string): Promise<void> {
  await startUpPassModel(connection).deleteOne({ _id: name });
}
