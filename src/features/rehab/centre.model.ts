import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { REGION_KEYS } from '../../domain/regions.js';
import { ACCESSIBILITY, AGE_GROUPS, CENTRE_KINDS, CENTRE_SERVICES, CENTRE_SETTINGS, FEES } from './centre-kinds.js';

const localized = new Schema({ kk: String, ru: String, en: String }, { _id: false });

const centreSchema = new Schema(
  {
    /** The registry's own id; imports upsert by it, so the same file twice changes nothing. */
    externalId: { type: String, required: true, unique: true },
    /** Fictitious demo entries: the card tells users to check by phone. */
    sample: { type: Boolean, default: false, index: true },
    name: { type: localized, required: true },
    address: { type: localized, required: true },
    kind: { type: String, enum: CENTRE_KINDS, required: true, index: true },
    settings: { type: [String], enum: CENTRE_SETTINGS, default: [] },
    ageGroups: { type: [String], enum: AGE_GROUPS, default: [] },
    region: { type: String, enum: REGION_KEYS, required: true, index: true },
    // Plain numbers, not GeoJSON: FerretDB has no 2dsphere, so "near me" is a bounding box on these.
    latitude: { type: Number, required: true, index: true },
    longitude: { type: Number, required: true },
    /** "+7XXXXXXXXXX", mobile or landline. */
    phones: { type: [String], default: [] },
    website: { type: String },
    hours: { type: localized },
    services: { type: [String], enum: CENTRE_SERVICES, default: [] },
    accessibility: { type: [String], enum: ACCESSIBILITY, default: [] },
    fee: { type: String, enum: FEES, required: true },
  },
  { timestamps: true },
);

export type CentreRecord = InferSchemaType<typeof centreSchema>;
const build = (connection: Connection) => connection.model('Centre', centreSchema);
export type CentreModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function centreModel(connection: Connection): CentreModel {
  return (connection.models.Centre as CentreModel | undefined) ?? build(connection);
}
