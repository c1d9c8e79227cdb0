// Where a command writes and what it reads from its surroundings. `main` defaults each to the process's own;
// tests pass theirs to run the CLI in-process and read exactly what a user would see.
export type CliIo = {
  stdout(text: string): void
  stderr(text: string): void
  env: Record<string, string | undefined>
  /** Stops a long-running command (the devnet) as Ctrl-C does. Without one, SIGINT and SIGTERM stop it. */
  signal?: AbortSignal
}

export function cliIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    // Looked up at each write, so a caller that swaps process.stdout.write (as the deploy test does) sees output.
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    ...overrides,
  }
}
