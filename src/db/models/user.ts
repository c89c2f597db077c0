import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { LOCALES } from '../../telegram/types.js';

const userSchema = new Schema(
  {
    telegramId: { type: Number, required: true, unique: true },
    chatId: { type: Number, required: true },
    locale: { type: String, enum: LOCALES, required: true },
    /** Admins come from ADMIN_IDS, never from here, so a database edit cannot make an admin. */
    role: { type: String, enum: ['citizen', 'staff'], default: 'citizen', index: true },
    region: { type: String },
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
    lastSeenAt: { type: Date, default: () => new Date() },
  },
  { timestamps: true },
);

// Every audience filter (src/features/broadcast/broadcast-enqueue.ts) is an equality on one of these
// followed by the _id order the fan-out cursor walks, so each has an index that serves both.
userSchema.index({ region: 1, _id: 1 });
userSchema.index({ locale: 1, _id: 1 });
userSchema.index({ volunteer: 1, _id: 1 });
userSchema.index({ applicant: 1, _id: 1 });
userSchema.index({ chatId: 1 });

export type UserRecord = InferSchemaType<typeof userSchema>;
const build = (connection: Connection) => connection.model('User', userSchema);
export type UserModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? build(connection);
}
