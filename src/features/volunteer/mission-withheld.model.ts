import { createHash } from 'node:crypto';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const WITHHELD_KINDS = ['invite', 'cancel'] as const;
export type WithheldKind = (typeof WITHHELD_KINDS)[number];

/**
 * One volunteer's message kept back for another coordinator: an invitation while a mission is
 * held for confirmation (mission-invite-hold), or a cancellation notice withheld until someone
 * tells the volunteers (mission-roster). One document per volunteer and mark, so a telling goes
 * only to those not told yet. Kept apart from the mission record: on FerretDB two workers adding
 * to one array at once could lose one of them; an insert per volunteer cannot.
 */
const withheldSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: WITHHELD_KINDS, required: true },
    /** The mark of the hold or cancellation notice that waits (`inviteHold.mark`, `cancelNotice.mark`). */
    mark: { type: String, required: true },
    userId: { type: Number, required: true },
  },
  { timestamps: true },
);
withheldSchema.index({ missionId: 1, kind: 1, mark: 1, userId: 1 }, { unique: true });

export type WithheldRecord = InferSchemaType<typeof withheldSchema>;
const build = (connection: Connection) => connection.model('MissionWithheld', withheldSchema);
export type WithheldModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function withheldModel(connection: Connection): WithheldModel {
  return (connection.models.MissionWithheld as WithheldModel | undefined) ?? build(connection);
}

/**
 * The mark of what waits after messages sent under `answered` (a confirmation's mark, or none for
 * the first messages) were withheld. Derived, not random: workers withholding messages of the
 * same round at once all write the same mark, so none can orphan another's volunteer; each round
 * gets a new mark, so the next telling's ids differ from the withheld ones.
 */
export function nextMark(missionId: string, kind: WithheldKind, answered: string | undefined): string {
  return createHash('sha256').update(`${missionId}:${kind}:${answered ?? ''}`).digest('hex').slice(0, 12);
}
