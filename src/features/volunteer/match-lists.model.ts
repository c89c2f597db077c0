import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The volunteers one match key selects, packed into one record (match-lists.ts): a mission reads
 * one record instead of a thousand. `token` is the key's mark (below) read before the volunteer
 * records were; the list is current while the mark still holds that token.
 */
const matchListSchema = new Schema(
  {
    /** The match key, "region|area|availability|age group" (match-keys.ts). */
    _id: { type: String, required: true },
    token: { type: String, required: true },
    /** JSON of [userId, chatId, locale, skills] per volunteer: one string, not an array of records. */
    members: { type: String, required: true },
    count: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true },
);

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
