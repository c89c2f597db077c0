import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../telegram/types.js';
import { formatKzDateTime } from '../../domain/kz-time.js';
import type { EditableField } from './mission-edit.model.js';

/** A mission's editable details, as a change or its "before" holds them (only the fields changed). */
export interface MissionFields {
  title?: string;
  description?: string;
  place?: string;
  startsAt?: Date | string;
  durationHours?: number;
  slots?: number;
}

/** Each field's label: the same words the form asks them with. */
const LABEL_KEY: Record<EditableField, string> = {
  title: 'volunteer:mission-form.title.summary',
  description: 'volunteer:mission-form.description.summary',
  place: 'volunteer:mission-form.place.summary',
  startsAt: 'volunteer:mission-form.start.summary',
  durationHours: 'volunteer:mission-form.duration.summary',
  slots: 'volunteer:mission-form.slots.summary',
};

function valueText(field: EditableField, value: MissionFields[EditableField], locale: Locale): string {
  if (value === undefined) return '—';
  return field === 'startsAt' ? formatKzDateTime(new Date(value), locale) : String(value);
}

/**
 * "Start: 25.11.2026 10:00 → 25.11.2026 12:00", one line per field changed, in the reader's
 * language. A description is shown as it is now only: a long text twice would hide the change.
 */
export function missionChangeLines(
  t: Translate,
  locale: Locale,
  fields: readonly EditableField[],
  before: MissionFields,
  after: MissionFields & { latitude?: number | null },
): string {
  return fields
    .map((field) => {
      const label = t(LABEL_KEY[field]);
      const now = valueText(field, after[field], locale);
      if (field === 'description') return t('volunteer:mission-edit.line-new', { label, now });
      // The same words with a new map pin: "Place: Central park (the map pin has moved)".
      if (field === 'place' && before.place === after.place && after.latitude != null) return t('volunteer:mission-edit.line-pin', { label, now });
      return t('volunteer:mission-edit.line', { label, was: valueText(field, before[field], locale), now });
    })
    .join('\n');
}
