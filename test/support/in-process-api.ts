// A Bot API caller without HTTP: each call goes straight into the built-in Bot API's state
// (src/platform/bot-api), which records it and keeps what users see, as over HTTP. Payloads are
// turned into what the wire would carry (JSON values, uploads as files), so the emulator checks
// the same things; errors carry the Bot API's code, classified as the runtimes classify theirs.
// The HTTP path of both runtimes is covered by the end-to-end suites (test/e2e/).
import { FileUpload, kindOfCode, type ApiCaller } from '../../src/telegram/api-caller.js';
import { ApiError, type BotApiServer, type Json } from '../../src/platform/bot-api/index.js';

function onTheWire(payload: Record<string, unknown>): Json {
  const wire: Json = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    wire[key] =
      value instanceof FileUpload
        ? { filename: value.filename, size: value.content.length, content: value.content.toString('utf8') }
        : (JSON.parse(JSON.stringify(value)) as unknown);
  }
  return wire;
}

export function inProcessApi(server: BotApiServer): ApiCaller {
  return {
    // Asynchronous like a request, so the pipeline interleaves chats as it does over HTTP.
    call: async (method, payload) => {
      await Promise.resolve();
      return server.invoke(method, onTheWire(payload));
    },
    classify: (error) => (error instanceof ApiError ? kindOfCode(error.status) : 'other'),
    retryAfter: (error) => {
      const seconds = error instanceof ApiError ? error.parameters?.retry_after : undefined;
      return typeof seconds === 'number' ? seconds : undefined;
    },
  };
}
