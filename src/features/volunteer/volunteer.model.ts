import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { LOCALES } from '../../telegram/types.js';

const volunteerSchema = new Schema(
  {
    /** Telegram user id; one profile per person. */
    userId: { type: Number, required: true, unique: true },
    chatId: { type: Number, required: true, index: true },
    /** Language at sign-up; the User record's language wins when it exists (it follows /language). */
    locale: { type: String, enum: LOCALES, required: true },
    fullName: { type: String, required: true },
    age: { type: Number, required: true },
    /** 14-17 only: a parent or guardian agreed (Law 42-VI). */
    guardianConsent: { type: Boolean },
    /** AES-GCM sealed "+77XXXXXXXXX"; the hash beside it finds a profile by number. */
    phoneEnc: { type: String, required: true },
    phoneHash: { type: String, required: true, index: true },
    region: { type: String, required: true, index: true },
    areas: { type: [String], default: [] },
    availability: { type: [String], default: [] },
    skills: { type: [String], default: [] },
    /** Invitations paused by the volunteer; missions already accepted stay. */
    paused: { type: Boolean, default: false, index: true },
    /**
     * A copy of the user record's "blocked the bot" (kept by UsersService), so that matching a
     * mission is one indexed query on this collection, without looking up every candidate's user.
     */
    blocked: { type: Boolean },
    consentAt: { type: Date, required: true },
    /**
     * Every "region|area|availability|age group" this volunteer fits, none while paused or
     * blocked (match-keys.ts): matching a mission is one equality on an index.
     */
    matchKeys: { type: [String], default: undefined },
    matchKeysVersion: { type: Number },
    /**
     * Set by the write that changed what matching reads, removed once the keys and the match
     * lists follow it (match-sync.ts); what a crash left set is finished at start-up.
     */
    matchPending: { type: Boolean },
    /** The keys whose lists that run touches, noted before it touches them. */
    matchTouch: { type: [String], default: undefined },
    /** Keys this volunteer had before: lists stored then may still hold them (dropped on deletion). */
    matchFormer: { type: [String], default: undefined },
  },
  { timestamps: true },
);

// Mission matching: one equality on the precomputed keys (see match-keys.ts).
volunteerSchema.index({ matchKeys: 1 });
// The start-up repair of changes a crash interrupted (match-sync.ts).
volunteerSchema.index({ matchPending: 1 });
// The start-up back-fill of keys of another version (`$ne`): on MongoDB two index ranges that
// find nothing once done, instead of reading every profile at each start until the pass settles.
volunteerSchema.index({ matchKeysVersion: 1 });

export type VolunteerRecord = InferSchemaType<typeof volunteerSchema>;
const build = (connection: Connection) => connection.model('Volunteer', volunteerSchema);
export type VolunteerModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function volunteerModel(connection: Connection): VolunteerModel {
  return (connection.models.Volunteer as VolunteerModel | undefined) ?? build(connection);
}
