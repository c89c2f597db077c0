// Where a command-line tool writes, and what it reads from its environment. The entry scripts
// pass the process's own; tests call the same commands in process with their own, so only one
// run per command has to pay for a process start (about 2 s of loading modules through tsx).
export interface CommandIo {
  /** Writes `text` as it is (add the line end). */
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
};

/**
 * Runs a command as the process's whole job. The exit code is set, not forced with exit(), so
 * everything written to a pipe reaches the reader first.
 */
export async function runAsProcess(command: (args: string[], io: CommandIo) => Promise<number>): Promise<void> {
  process.exitCode = await command(process.argv.slice(2), processIo);
}

/**
 * Exit code of an import that stopped after it began writing (the database went away mid-way,
 * or refused a row): neither "some rows rejected" (1, which comes with a report) nor "nothing
 * imported" (2). What was written stays; the same file again finishes the job.
 */
export const STOPPED_PART_WAY = 3;

export function stoppedPartWay(io: CommandIo, error: unknown): number {
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  io.err(`Import stopped part-way (${name}: ${message}). Entries written before it stay; run the same file again to finish.\n`);
  // Not the database's doing: keep the trace for whoever fixes it.
  if (!/^Mongo/.test(name) && stack) io.err(`${stack}\n`);
  return STOPPED_PART_WAY;
}
