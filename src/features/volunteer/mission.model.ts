import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const MISSION_STATUSES = ['open', 'cancelled'] as const;
export type MissionStatus = (typeof MISSION_STATUSES)[number];

const missionSchema = new Schema(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    area: { type: String, required: true },
    region: { type: String, required: true, index: true },
    place: { type: String, required: true },
    latitude: { type: Number },
    longitude: { type: Number },
    startsAt: { type: Date, required: true, index: true },
    durationHours: { type: Number, required: true },
    slots: { type: Number, required: true },
    /** Not maintained: places are counted from MissionSeat (MissionsService.acceptedCount). */
    acceptedCount: { type: Number, default: 0 },
    skills: { type: [String], default: [] },
    /** Volunteers aged 14-17 (with a guardian's consent) may be invited; adults only otherwise. */
    minorsAllowed: { type: Boolean, default: false },
    status: { type: String, enum: MISSION_STATUSES, default: 'open', index: true },
    createdBy: { type: Number, required: true },
    /** Who was invited, so their pending invitations can be withdrawn if the mission is cancelled. */
    invitedUserIds: { type: [Number], default: [] },
    /**
     * The publishing screen's own token: a tap on «Publish» run again (the mailbox retries it
     * after a passing failure or a killed process, or the coordinator taps again) finds the
     * mission it wrote instead of publishing a second one. FerretDB ignores `sparse` but never
     * compares missing values either.
     */
    publishKey: { type: String, unique: true, sparse: true },
    /**
     * When the mission was written, while the invitations of `invitedUserIds` may not all be
     * queued yet; removed once they are. One left behind (the process died, the queue was away and
     * nobody tapped again) is finished by the repair tick, so nobody listed as invited goes untold.
     */
    invitesPending: { type: Date },
    cancelledAt: { type: Date },
    /**
     * Written with the cancellation, removed once the volunteers' notices are queued and the
     * cancellation audited. One left behind (the queue was away, the process died) is finished by
     * the coordinator's tap run again, or by the repair tick: nobody holding a place goes untold.
     */
    cancelPending: { type: new Schema({ by: Number, at: Date }, { _id: false }), required: false },
    /**
     * Raised by one with every change of the details (mission-edit.ts). A change is made against
     * the version its screen showed; reminders carry it in their ids, so those of an earlier
     * start do nothing. Missions from before it read as 0.
     */
    version: { type: Number, default: 0 },
    /**
     * Set when the cancellation notices were withheld because the member who cancelled lost their
     * missions access before they were sent: another coordinator tells the volunteers.
     */
    cancelNotice: { type: new Schema({ by: Number, at: Date, mark: String }, { _id: false }), required: false },
    /** Who told the volunteers last after withheld notices, and the mark they answered (their notices' ids carry it). */
    cancelTold: { type: new Schema({ by: Number, mark: String }, { _id: false }), required: false },
    /**
     * Written with `cancelTold` when the volunteers are told (who told them, when, the mark
     * answered, how many, whose notices were withheld), removed once the telling is audited. One
     * left behind (the line failed, the process stopped) is finished by the same coordinator's
     * tap run again, or by the repair tick.
     */
    tellDue: { type: new Schema({ by: Number, at: Date, mark: String, told: Number, withheldBy: Number }, { _id: false }), required: false },
    /**
     * Set when an invitation was withheld because the member it was sent for lost their missions
     * access: no invitation goes out and nobody new may join until another coordinator confirms
     * the mission. The invitations held back are MissionHeldInvite records of this `mark`.
     */
    inviteHold: { type: new Schema({ by: Number, at: Date, mark: String }, { _id: false }), required: false },
    /** The coordinator who confirmed the mission last: invitations go out in their name, ids carry `mark`. */
    invitesFor: { type: new Schema({ by: Number, mark: String }, { _id: false }), required: false },
    /**
     * Written with `invitesFor` when a held mission is confirmed (who confirmed, when, the hold's
     * mark, how many invited, whose invitations were withheld), removed once the confirmation is
     * audited. One left behind is finished by the same coordinator's tap run again, or by the repair tick.
     */
    confirmDue: { type: new Schema({ by: Number, at: Date, mark: String, invited: Number, withheldBy: Number }, { _id: false }), required: false },
    /** Hours of volunteers who later deleted their data, kept without names for statistics. */
    anonymisedHours: { type: Number, default: 0 },
    anonymisedVolunteers: { type: Number, default: 0 },
    /**
     * The assignments (deleted since) whose hours the two counts above hold: written in the same
     * update as the counts, so an erasure run again after a failure does not count them twice.
     * Ids of records that no longer exist, naming nobody.
     */
    anonymisedFrom: { type: [Schema.Types.ObjectId], default: undefined },
  },
  { timestamps: true },
);

export type MissionRecord = InferSchemaType<typeof missionSchema> & { _id: import('mongoose').Types.ObjectId };
const build = (connection: Connection) => connection.model('Mission', missionSchema);
export type MissionModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function missionModel(connection: Connection): MissionModel {
  return (connection.models.Mission as MissionModel | undefined) ?? build(connection);
}
