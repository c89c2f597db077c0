import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The volunteers one match key selects, packed (match-lists.ts): a mission reads a few records
 * instead of a thousand. One build of a key's list is `parts` records of up to 100 volunteers,
 * all with the same `build`; `token` is the key's mark (below) read before the volunteer records
 * were, and the list is current while the mark still holds that token. The parts stay small
 * (about 4 KB) on purpose: PostgreSQL keeps them in the table itself, so the table grows with
 * the lists and a look-up by key stays an index scan. In one record per key the lists went to
 * PostgreSQL's side storage, the table stayed a few pages long, and once analysed PostgreSQL read
 * every list to find one (a sequential scan, 19-33 ms at 200,000 users instead of 5).
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
    token: { type: String, required: true },
    /** JSON of [userId, chatId, locale, skills] per volunteer: one string, not an array of records. */
    members: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
matchListSchema.index({ key: 1 });

/**
 * A fresh token written after every change to who a key selects (or to what a list holds of
 * them). A record of its own, not a field of the list: FerretDB writes a whole document back on
 * update, so a list being rebuilt could otherwise overwrite the mark a change had just set.
 */
const matchMarkSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
  },
  { versionKey: false },
);

export type MatchListRecord = InferSchemaType<typeof matchListSchema>;
const buildList = (connection: Connection) => connection.model('VolunteerMatchList', matchListSchema);
const buildMark = (connection: Connection) => connection.model('VolunteerMatchMark', matchMarkSchema);
export type MatchListModel = ReturnType<typeof buildList>;
export type MatchMarkModel = ReturnType<typeof buildMark>;

export function matchListModel(connection: Connection): MatchListModel {
  return (connection.models.VolunteerMatchList as MatchListModel | undefined) ?? buildList(connection);
}

export function matchMarkModel(connection: Connection): MatchMarkModel {
  return (connection.models.VolunteerMatchMark as MatchMarkModel | undefined) ?? buildMark(connection);
}
