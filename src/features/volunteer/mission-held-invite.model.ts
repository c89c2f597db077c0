import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One invitation kept back while a mission is held for confirmation (mission-invite-hold), one
 * document per volunteer and hold. Kept apart from the mission record: on FerretDB two workers
 * adding to one array at once could lose one of them; an insert per volunteer cannot.
 */
const heldInviteSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true },
    /** The hold's mark (`Mission.inviteHold.mark`). */
    mark: { type: String, required: true },
    userId: { type: Number, required: true },
  },
  { timestamps: true },
);
heldInviteSchema.index({ missionId: 1, mark: 1, userId: 1 }, { unique: true });

export type HeldInviteRecord = InferSchemaType<typeof heldInviteSchema>;
const build = (connection: Connection) => connection.model('MissionHeldInvite', heldInviteSchema);
export type HeldInviteModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function heldInviteModel(connection: Connection): HeldInviteModel {
  return (connection.models.MissionHeldInvite as HeldInviteModel | undefined) ?? build(connection);
}
