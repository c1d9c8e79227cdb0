// `aokit export <pid> --url <devnet|SU>`: reads a process's scheduled history and writes it as an ao-replay/1 file,
// so what happened on a network can be evaluated again with `aokit replay`.
import { writeFileSync } from 'node:fs'
import type { Command } from './command.js'
import { UsageError } from './errors.js'

export const exportCommand: Command = {
  name: 'export',
  summary: "write a process's history from a devnet or scheduler unit as an ao-replay/1 file",
  args: ['<pid>'],
  usage: ['aokit export <pid> --url <devnet|su-url> [--gateway <url>] [--out <file.json>]'],
  description: `Reads every message scheduled for the process from the scheduler unit, page by page, and writes an
ao-replay/1 file (stdout, or --out) that aokit replay evaluates: the module record (from the gateway's GraphQL,
else aos's tags), the Process message and each later message as a compute unit hands it to the module. --url is
a devnet's root (its SU is <url>/su) or a scheduler unit's base URL. Cron ticks are not in an SU's history and
are left out; an unknown process exits 1 and names it.`,
  flags: [
    { name: 'url', value: '<devnet|su-url>', help: 'the devnet (http://127.0.0.1:4000) or a scheduler unit, e.g. https://su-router.ao-testnet.xyz (required)' },
    { name: 'gateway', value: '<url>', help: "where the module record is read (default: the devnet; https://arweave.net for another SU)" },
    { name: 'out', value: '<file.json>', help: 'write the file here instead of stdout' },
  ],
  examples: ['aokit export <pid> --url http://127.0.0.1:4000 --out replay.json && aokit replay replay.json'],
  async run(args, io) {
    const pid = args.positionals[0]!
    if (!/^[A-Za-z0-9_-]{43}$/.test(pid)) throw new UsageError(`<pid> must be a 43-character process id, got ${pid}`)
    const url = args.string('url')
    if (url === undefined) throw new UsageError('--url is required: the devnet (http://127.0.0.1:4000) or a scheduler unit')
    if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http(s) URL, got ${url}`)
    const gateway = args.string('gateway')
    if (gateway !== undefined && !/^https?:\/\/[^/]/.test(gateway)) throw new UsageError(`--gateway must be an http(s) URL, got ${gateway}`)
    // Loaded here: the replay types and the network are not needed by the other commands, nor by --help.
    const { exportProcess } = await import('../exportProcess.js')
    const file = await exportProcess({ url, process: pid, gateway, onWarning: (message) => io.stderr(`aokit export: warning: ${message}\n`) })
    const text = JSON.stringify(file, null, 2) + '\n'
    const out = args.string('out')
    if (out === undefined) io.stdout(text)
    else {
      writeFileSync(out, text)
      io.stderr(`aokit export: wrote ${out} (the Process message and ${file.messages.length} messages)\n`)
    }
    return 0
  },
}
