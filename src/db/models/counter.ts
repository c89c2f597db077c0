import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Named sequences (reference numbers). `$inc` is atomic on MongoDB, but FerretDB can hand out
 * the same value twice under load, so callers must back a sequence with a unique index and
 * take the next value when a number is already used.
 */
const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, default: 0 },
  },
  { versionKey: false },
);

export type CounterRecord = InferSchemaType<typeof counterSchema>;
const build = (connection: Connection) => connection.model('Counter', counterSchema);
export type CounterModel = ReturnType<typeof build>;

export function counterModel(connection: Connection): CounterModel {
  return (connection.models.Counter as CounterModel | undefined) ?? build(connection);
}

/** A unique index turned a write down (MongoDB and FerretDB both report code 11000 on insert). */
export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * An upsert raced by another for the same new key: one inserts, the other fails on the unique
 * index (MongoDB does not retry that for us). Tried again, it finds and updates that record.
 */
export async function upsertRacing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return write();
  }
}

/** The next value of a named sequence, starting at 1. */
export async function nextSequence(connection: Connection, name: string): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const doc = await counterModel(connection)
        .findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false })
        .lean<{ seq: number }>();
      if (!doc) throw new Error(`counter ${name} was not created`);
      return doc.seq;
    } catch (error) {
      // Two first uses at once both try to insert the counter; the loser simply increments it.
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}
