// Redis's MONITOR read over a plain socket. ioredis's own monitor() is not safe here: it marks
// the connection "monitoring" only in a promise callback after MONITOR's "+OK", so when "+OK"
// and the first command line arrive in one chunk (a busy machine), the line is parsed as a
// reply to an empty command queue and ioredis throws it uncaught ("Command queue state error"),
// failing whichever test runs then; the same happens to lines in flight at disconnect(). Here
// every line is ours to read, and after stop() nothing is read at all.
import { createConnection, type Socket } from 'node:net';

export interface RedisMonitor {
  stop(): void;
}

/** Calls `onCommand` with the words of every command Redis runs (scripts' inner calls included). */
export async function monitorRedis(redisUrl: string, onCommand: (args: string[]) => void): Promise<RedisMonitor> {
  const url = new URL(redisUrl);
  const socket = createConnection({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
  socket.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {}); // a test's end may close the server first; nothing to report then
  const preamble: string[][] = [];
  if (url.password) preamble.push(url.username ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)] : ['AUTH', decodeURIComponent(url.password)]);
  preamble.push(['MONITOR']);
  await untilMonitoring(socket, preamble, onCommand);
  return {
    stop() {
      socket.removeAllListeners('data');
      socket.destroy();
    },
  };
}

/** Sends the preamble and resolves once MONITOR answered; from then on reads command lines. */
function untilMonitoring(socket: Socket, preamble: string[][], onCommand: (args: string[]) => void): Promise<void> {
  let pending = '';
  let okToCome = preamble.length;
  return new Promise((resolve, reject) => {
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (line.startsWith('-')) return reject(new Error(`Redis refused to monitor: ${line.slice(1)}`));
        if (okToCome > 0) {
          okToCome -= 1;
          if (okToCome === 0) resolve();
          continue;
        }
        const args = commandWords(line);
        if (args.length > 0) onCommand(args);
      }
    });
    socket.write(preamble.map(encodeCommand).join(''));
  });
}

function encodeCommand(words: string[]): string {
  return `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`;
}

/**
 * The quoted words of a monitor line: `+1700000000.123 [0 127.0.0.1:5000] "set" "key" "1"`.
 * Redis quotes each word and escapes `"`, `\`, control characters and bytes as `\xHH`.
 */
export function commandWords(line: string): string[] {
  const start = line.indexOf('] ');
  if (!line.startsWith('+') || start < 0) return [];
  const words: string[] = [];
  let i = start + 2;
  while (i < line.length) {
    if (line[i] !== '"') {
      i += 1;
      continue;
    }
    let word = '';
    i += 1;
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const next = line[i + 1]!;
        if (next === 'x') {
          word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        word += ESCAPES[next] ?? next;
        i += 2;
        continue;
      }
      word += line[i];
      i += 1;
    }
    words.push(word);
    i += 1;
  }
  return words;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' };
