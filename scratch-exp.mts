import http from 'node:http';
import net from 'node:net';
import { botApiFetch } from '/work/wt/attack16/src/telegram/bot-api-fetch.js';
const sockets = new Set<net.Socket>();
const server = http.createServer((req, res) => {
  if (req.url === '/stall') { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }); res.write('{"ok":'); return; }
  if (req.url === '/ok') { req.resume(); req.on('end', () => { res.writeHead(200, {'content-type':'application/json'}); res.end('{"ok":true}'); }); return; }
});
server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
await new Promise<void>((r) => server.listen(0, r));
const port = (server.address() as net.AddressInfo).port;
const c = new AbortController();
const p = botApiFetch(`http://127.0.0.1:${port}/stall`, { method: 'POST', body: '{}', signal: c.signal });
setTimeout(() => c.abort(), 100);
const t0 = Date.now();
const r = await Promise.race([p.then(() => 'resolved', (e) => 'rejected ' + e.name + ' ' + e.message), new Promise((r) => setTimeout(() => r('HANG'), 2000))]);
console.log('abort mid-body:', r, Date.now() - t0, 'server sockets', sockets.size);
// stream body aborted
const { Readable } = await import('node:stream');
let pulled = 0; let destroyed = false;
const body = new Readable({ read() { pulled++; if (pulled < 3) this.push(Buffer.alloc(10)); }, destroy(e, cb) { destroyed = true; cb(e); } });
const c2 = new AbortController();
const p2 = botApiFetch(`http://127.0.0.1:${port}/ok`, { method: 'POST', body, signal: c2.signal });
setTimeout(() => c2.abort(), 100);
console.log('stream abort:', await p2.then(() => 'resolved', (e) => 'rejected ' + e.name), 'body destroyed', destroyed);
// keep-alive: server with short keepAliveTimeout
server.keepAliveTimeout = 200;
const ok1 = await botApiFetch(`http://127.0.0.1:${port}/ok`, { method: 'POST', body: '{}' });
console.log('first', ok1.status);
let fails = 0;
for (let i = 0; i < 30; i++) {
  await new Promise((r) => setTimeout(r, 150 + (i % 10) * 10));
  try { await botApiFetch(`http://127.0.0.1:${port}/ok`, { method: 'POST', body: '{}' }); } catch (e) { fails++; console.log('fail at', 150 + (i%10)*10, (e as Error).message); }
}
console.log('keep-alive fails', fails);
process.exit(0);
