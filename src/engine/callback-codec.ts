/**
 * Callback data defined once per feature: each action names its short wire tag and its fields,
 * and both `encode` and `decode` are derived from that one definition, so the two cannot drift
 * apart. The wire form is `prefix:tag[:field…]`; Telegram allows 64 bytes, which the codec test
 * checks for every action with each field's longest value (`worst`).
 */

/** One field of a callback: how it is written, how it is read back (null when malformed). */
export interface FieldCodec<T> {
  encode(value: T): string;
  decode(text: string): T | null;
  /** The longest value the field may carry, for the 64-byte test. */
  worst: T;
  /** Takes every remaining part, colons included (only as the last field). */
  greedy?: boolean;
}

export const field = {
  /** A string matching `pattern` (anchored); `worst` is its longest legal value. */
  text(pattern: RegExp, worst: string, greedy = false): FieldCodec<string> {
    return { encode: (v) => v, decode: (s) => (pattern.test(s) ? s : null), worst, ...(greedy ? { greedy } : {}) };
  },
  /** A MongoDB ObjectId in hex. */
  objectId(): FieldCodec<string> {
    return field.text(/^[0-9a-f]{24}$/, 'f'.repeat(24));
  },
  /** A whole number within [min, max], written in decimal; one spelling each (no leading zeros, no -0). */
  int(min: number, max: number): FieldCodec<number> {
    return {
      encode: (v) => String(v),
      decode: (s) => (/^(0|-?[1-9]\d{0,14})$/.test(s) && Number(s) >= min && Number(s) <= max ? Number(s) : null),
      worst: -min > max ? min : max,
    };
  },
  /** One of a fixed list, written as itself. */
  oneOf<const T extends string | number>(values: readonly T[]): FieldCodec<T> {
    const longest = [...values].sort((a, b) => String(b).length - String(a).length)[0]!;
    return { encode: (v) => String(v), decode: (s) => values.find((v) => String(v) === s) ?? null, worst: longest };
  },
  /** One of a fixed list, written as its position (shorter than the value). */
  indexOf<const T extends string>(values: readonly T[]): FieldCodec<T> {
    return {
      encode: (v) => String(values.indexOf(v)),
      decode: (s) => (/^(0|[1-9]\d{0,2})$/.test(s) ? (values[Number(s)] ?? null) : null),
      worst: values[values.length - 1]!,
    };
  },
};

type Fields = Record<string, FieldCodec<never> | FieldCodec<string> | FieldCodec<number>>;
type ValueOf<F> = F extends FieldCodec<infer T> ? T : never;
type Values<F extends Fields> = { [K in keyof F]: ValueOf<F[K]> };

export interface ActionDef<F extends Fields = Fields> {
  /** What the action is called on the wire (short: it counts against 64 bytes); '' for a codec of one action, written `prefix:fields`. */
  tag: string;
  /** In wire order. */
  fields: F;
}

export type Decoded<D extends Record<string, ActionDef>> = {
  [A in keyof D & string]: { action: A } & Values<D[A]['fields']>;
}[keyof D & string];

export interface CallbackCodec<D extends Record<string, ActionDef>> {
  prefix: string;
  encode: { [A in keyof D & string]: (values: Values<D[A]['fields']>) => string };
  /** `rest` is the data after "prefix:"; anything malformed or foreign is null (a stale or forged button). */
  decode(rest: string): Decoded<D> | null;
  /** Every action with each field's longest value (what the length test walks). */
  worstCases(): Array<Decoded<D>>;
  /** The whole data of a decoded action, prefix included. */
  encodeDecoded(action: Decoded<D>): string;
}

/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export function defineCallbacks<const D extends Record<string, ActionDef>>(prefix: string, actions: D): CallbackCodec<D> {
  const entries = Object.entries(actions) as Array<[keyof D & string, ActionDef]>;
  const byTag = new Map(entries.map(([name, def]) => [def.tag, { name, def }]));
  if (byTag.size !== entries.length) throw new Error(`Two actions of "${prefix}" share a tag`);
  if (byTag.has('') && entries.length > 1) throw new Error(`"${prefix}": only a codec of one action may leave its tag out`);
  const write = (def: ActionDef, values: Record<string, unknown>): string => {
    const parts = Object.entries(def.fields).map(([key, codec]) => (codec as FieldCodec<unknown>).encode(values[key]));
    return [prefix, ...(def.tag ? [def.tag] : []), ...parts].join(':');
  };
  const encode = Object.fromEntries(entries.map(([name, def]) => [name, (values: Record<string, unknown>) => write(def, values)]));
  return {
    prefix,
    encode: encode as CallbackCodec<D>['encode'],
    decode(rest) {
      const untagged = byTag.get('');
      const [tag = '', ...tagged] = rest.split(':');
      const found = untagged ?? byTag.get(tag);
      const parts = untagged ? rest.split(':') : tagged;
      if (!found) return null;
      const codecs = Object.entries(found.def.fields) as Array<[string, FieldCodec<unknown>]>;
      const last = codecs[codecs.length - 1];
      if (last?.[1].greedy && parts.length > codecs.length) parts.splice(codecs.length - 1, parts.length, parts.slice(codecs.length - 1).join(':'));
      if (parts.length !== codecs.length) return null;
      const out: Record<string, unknown> = { action: found.name };
      for (const [i, [key, codec]] of codecs.entries()) {
        const value = codec.decode(parts[i]!);
        if (value === null) return null;
        out[key] = value;
      }
      return out as Decoded<D>;
    },
    worstCases() {
      return entries.map(([name, def]) => {
        const values = Object.fromEntries(Object.entries(def.fields).map(([key, codec]) => [key, (codec as FieldCodec<unknown>).worst]));
        return { action: name, ...values } as Decoded<D>;
      });
    },
    encodeDecoded(action) {
      const { action: name, ...values } = action as { action: keyof D & string } & Record<string, unknown>;
      return write(actions[name]!, values);
    },
  };
}

/** Any feature's codec, for code that walks them all (the length test). */
export type AnyCallbackCodec = Omit<CallbackCodec<Record<string, ActionDef>>, 'encode'>;
