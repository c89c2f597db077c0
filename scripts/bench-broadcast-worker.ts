// The delivery worker exactly as `npm run worker` runs it, as a child process the benchmark can
// SIGKILL half-way through a broadcast.
import '../src/worker-main.js';
