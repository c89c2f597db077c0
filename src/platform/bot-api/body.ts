// Request bodies arrive as JSON (grammY), urlencoded or multipart (Telegraf, file uploads); all
// become one payload object with Telegram's numeric and JSON fields turned back into values.
import type { Json } from './types.js';

const NUMERIC_FIELDS = new Set([
  'chat_id', 'message_id', 'offset', 'limit', 'timeout', 'reply_to_message_id', 'from_chat_id',
  'latitude', 'longitude', 'horizontal_accuracy', 'live_period', 'heading', 'cache_time',
  'max_connections', 'user_id', 'message_thread_id', 'duration', 'width', 'height', 'icon_color',
]);
const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'allowed_updates', 'reply_parameters',
  'link_preview_options', 'commands', 'scope', 'menu_button', 'media', 'results', 'message_ids',
]);
const BOOLEAN_VALUES: Record<string, boolean> = { true: true, false: false };

/** An uploaded file part. */
export interface UploadedFile {
  filename: string;
  size: number;
  content: string;
}

function coerceField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (key !== 'text' && key !== 'caption' && value in BOOLEAN_VALUES) return BOOLEAN_VALUES[value];
  return value;
}

function parseMultipart(body: Buffer, boundary: string): Json {
  const result: Json = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next - 2); // drop the CRLF before the delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      // Some clients quote the file name, others do not.
      const filename = /filename="([^"]*)"|filename=([^;\r\n]+)/i.exec(headers)?.slice(1).find((v) => v !== undefined);
      if (name !== undefined) {
        const file: UploadedFile | undefined =
          filename !== undefined ? { filename, size: content.length, content: content.toString('utf8') } : undefined;
        result[name] = file ?? coerceField(name, content.toString('utf8'));
      }
    }
    pos = next;
  }
  return result;
}

/** Query string first, then the body; throws on a malformed JSON body. */
export function parseBody(contentType: string, body: Buffer, query: URLSearchParams): Json {
  const payload: Json = {};
  for (const [k, v] of query) payload[k] = coerceField(k, v);
  if (body.length === 0) return payload;
  const type = contentType.toLowerCase();
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(payload, parsed);
  } else if (type.includes('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (boundary) Object.assign(payload, parseMultipart(body, boundary));
  } else {
    // application/x-www-form-urlencoded, and the default for anything else
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) payload[k] = coerceField(k, v);
  }
  return payload;
}

/** The file a send* call carries in `field`: grammY names its own part with "attach://<part>". */
export function attachedFile(p: Json, field: string): UploadedFile | string | undefined {
  const value = p[field];
  const attached = typeof value === 'string' && value.startsWith('attach://') ? p[value.slice(9)] : value;
  if (typeof attached === 'string') return attached;
  if (attached && typeof attached === 'object' && typeof (attached as UploadedFile).filename === 'string') {
    const file = attached as Partial<UploadedFile>;
    return { filename: String(file.filename), size: Number(file.size ?? 0), content: String(file.content ?? '') };
  }
  return undefined;
}
