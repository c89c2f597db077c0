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
