import { Query, Schema, type Connection, type InferSchemaType } from 'mongoose';
import { LOCALES } from '../../telegram/types.js';
import { audienceBucket } from './audience-bucket.js';

/**
 * The bucket of a record being created: from the document (create, insertMany) or, for an upsert,
 * from the query's filter (every upsert of a user record is by `telegramId`), so no way of
 * creating a user can leave it out of every broadcast.
 */
function bucketOnCreate(this: unknown): number | undefined {
  const source = this instanceof Query ? (this.getFilter() as { telegramId?: unknown }) : (this as { telegramId?: unknown } | null);
  const id = source?.telegramId;
  return typeof id === 'number' ? audienceBucket(id) : undefined;
}

const userSchema = new Schema(
  {
    telegramId: { type: Number, required: true, unique: true },
    chatId: { type: Number, required: true },
    locale: { type: String, enum: LOCALES, required: true },
    /**
     * The person picked `locale` themselves (not Telegram's guess at the first visit): a session
     * that expired after a long silence takes the language from here instead of asking again.
     */
    localeChosen: { type: Boolean },
    /** Admins come from ADMIN_IDS, never from here, so a database edit cannot make an admin. */
    role: { type: String, enum: ['citizen', 'staff'], default: 'citizen', index: true },
    /** The region last given (an application or the volunteer profile): announcements to everyone in a region. */
    region: { type: String },
    /**
     * Each group's own region, as one person may volunteer in one region and apply in another:
     * announcements to volunteers (or applicants) of a region select on that group's answer.
     */
    volunteerRegion: { type: String },
    applicantRegion: { type: String },
    /** The user blocked the bot (403 or my_chat_member); nothing is sent until they come back. */
    blocked: { type: Boolean, default: false, index: true },
    blockedAt: { type: Date },
    /** Announcements can be turned off; notices about the user's own matters still arrive. */
    announcements: { type: Boolean, default: true, index: true },
    /**
     * Staff roles and scope (src/app/access.ts). Absent on records written before roles existed:
     * those are read as the legacy full staff powers (LEGACY_STAFF_ACCESS). `default: undefined`
     * keeps "absent" (all regions / all topics) apart from an empty list.
     */
    staffRoles: { type: [String], default: undefined },
    staffRegions: { type: [String], default: undefined },
    staffTopics: { type: [String], default: undefined },
    /**
     * Broadcast groups, kept here (by the volunteers and grants services) so that an audience is
     * one indexed query on this collection: an active (not paused) volunteer; has applied for a grant.
     */
    volunteer: { type: Boolean },
    applicant: { type: Boolean },
    staffSince: { type: Date },
    invitedBy: { type: Number },
    /**
     * A withdrawal of staff access whose audit line may not be written yet: set by the very write
     * that withdraws the access, removed once the line is (staff.service.ts), so a withdrawal run
     * again after a failure in between writes that line, once (`key`). `due` is always true: what
     * the repair pass looks for, an equality FerretDB hands to PostgreSQL.
     */
    revokeDue: {
      type: new Schema(
        { key: { type: String, required: true }, by: { type: Number, required: true }, at: { type: Date, required: true }, due: { type: Boolean, required: true } },
        { _id: false },
      ),
    },
    lastSeenAt: { type: Date, default: () => new Date() },
    /**
     * audienceBucket(telegramId): the broadcast fan-out walks the audience one bucket at a time
     * with an equality on this field (see broadcast-enqueue.ts). Set when the record is created;
     * older records get it at start-up (backfillAudienceBuckets).
     */
    bucket: { type: Number, default: bucketOnCreate },
  },
  { timestamps: true },
);

// The fan-out asks for one bucket of an audience at a time: an equality on the bucket, and on one
// of the audience's fields, so each has an index that serves both (FerretDB pushes equalities
// down to PostgreSQL, where the GIN twin of each index answers them).
userSchema.index({ bucket: 1 });
userSchema.index({ region: 1, bucket: 1 });
userSchema.index({ locale: 1, bucket: 1 });
userSchema.index({ volunteer: 1, bucket: 1 });
userSchema.index({ applicant: 1, bucket: 1 });
userSchema.index({ volunteerRegion: 1, bucket: 1 });
userSchema.index({ applicantRegion: 1, bucket: 1 });
userSchema.index({ chatId: 1 });
userSchema.index({ 'revokeDue.due': 1 });

export type UserRecord = InferSchemaType<typeof userSchema>;
const build = (connection: Connection) => connection.model('User', userSchema);
export type UserModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? build(connection);
}
