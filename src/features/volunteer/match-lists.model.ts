import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The volunteers one match key selects, packed (match-lists.ts): a mission reads a few records
 * instead of a thousand. One build of a key's list is `parts` records of up to 100 volunteers,
 * all with the same `build`; `seq` is the key's change number (below) the list is current for.
 * The parts stay small (about 4 KB) on purpose: PostgreSQL keeps them in the table itself, so
 * the table grows with the lists and a look-up by key stays an index scan. In one record per key
 * the lists went to PostgreSQL's side storage, the table stayed a few pages long, and once
 * analysed PostgreSQL read every list to find one (a sequential scan, 19-33 ms at 200,000 users
 * instead of 5).
 */
const matchListSchema = new Schema(
  {
    /** `${key}#${build}#${part}`. */
    _id: { type: String, required: true },
    /** The match key, "region|area|availability|age group" (match-keys.ts). */
    key: { type: String, required: true },
    build: { type: String, required: true },
    part: { type: Number, required: true },
    parts: { type: Number, required: true },
    seq: { type: Number, required: true },
    /** JSON of [userId, chatId, locale, skills] per volunteer: one string, not an array of records. */
    members: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
matchListSchema.index({ key: 1 });

/**
 * One record per change to the volunteers of a key, numbered from 1: `_id` `${key}#${seq}`, so
 * two changes at once cannot take the same number (the unique `_id` settles it, on FerretDB
 * too, where an update is not atomic). The highest is the key's current number; the records
 * above a stored list's number say whose entries a reader must read again (`userId`; none: the
 * list must be built again).
 */
const matchChangeSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    seq: { type: Number, required: true },
    userId: { type: Number },
  },
  { versionKey: false },
);
matchChangeSchema.index({ key: 1 });

export type MatchListRecord = InferSchemaType<typeof matchListSchema>;
const buildList = (connection: Connection) => connection.model('VolunteerMatchList', matchListSchema);
const buildChange = (connection: Connection) => connection.model('VolunteerMatchChange', matchChangeSchema);
export type MatchListModel = ReturnType<typeof buildList>;
export type MatchChangeModel = ReturnType<typeof buildChange>;

export function matchListModel(connection: Connection): MatchListModel {
  return (connection.models.VolunteerMatchList as MatchListModel | undefined) ?? buildList(connection);
}

export function matchChangeModel(connection: Connection): MatchChangeModel {
  return (connection.models.VolunteerMatchChange as MatchChangeModel | undefined) ?? buildChange(connection);
}
