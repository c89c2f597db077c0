import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Sequences handed out by one atomic `$inc` (findOneAndUpdate with upsert), so two submissions at
 * the same moment never get the same reference number, without transactions.
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

/** The next value of a named sequence, starting at 1. */
export async function nextSequence(connection: Connection, name: string): Promise<number> {
  const doc = await counterModel(connection)
    .findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false })
    .lean<{ seq: number }>();
  if (!doc) throw new Error(`counter ${name} was not created`);
  return doc.seq;
}
