// Runs `aokit` in-process, as a user would from a shell: the words after `aokit`, what lands on stdout and stderr,
// and the exit code. The devnet runs until its test aborts it (no SIGINT sent to mocha).
import { main } from '../../../harness/cli.js'

export type CliRun = { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], options: { env?: Record<string, string | undefined>; signal?: AbortSignal } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: options.env ?? {},
    signal: options.signal,
  })
  return { code, stdout, stderr }
}

export type CliDevnet = {
  /** The URL the banner names. */
  url: string
  /** Stops it as Ctrl-C would; resolves to the whole run. */
  stop(): Promise<CliRun>
}

/** `aokit devnet <args>`, resolved once the banner is out; rejects with what it printed if it exits instead. */
export async function startCliDevnet(args: string[]): Promise<CliDevnet> {
  const controller = new AbortController()
  let stdout = ''
  let stderr = ''
  let listening: (url: string) => void
  const banner = new Promise<string>((resolve) => (listening = resolve))
  const run = main(['devnet', ...args], {
    stdout: (text) => {
      stdout += text
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1]
      if (url) listening(url)
    },
    stderr: (text) => void (stderr += text),
    env: {},
    signal: controller.signal,
  }).then((code) => ({ code, stdout, stderr }))
  const first = await Promise.race([banner, run])
  if (typeof first !== 'string') throw new Error(`aokit devnet exited ${first.code} before listening: ${first.stderr}`)
  return {
    url: first,
    stop: () => {
      controller.abort()
      return run
    },
  }
}
