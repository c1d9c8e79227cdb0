// A transport over a HyperBEAM node, through `@permaweb/aoconnect`'s `connect({ MODE: 'mainnet', URL, signer })`.
//
// UNTESTED against a real node (none is reachable here); the unit tests check only the mapping onto an injected
// client. Limits of aoconnect's mainnet mode, as of 0.0.98:
// - It does not take pre-signed data items: it re-sends the item's target, tags and data as an HTTP-signed
//   request signed by `signer`. So the id returned is the node's message id, not `item.id`; item bytes,
//   signature, anchor and duplicate tag names (tags become an object) are dropped; data goes as UTF-8 text.
// - `results` returns only the current slot's result; `from`, `to`, `limit`, `sort` are ignored.
// - assign, monitor and unmonitor do not exist there: they throw UnsupportedOperationError.
// - aoconnect's errors are plain `Error`s; they are wrapped in MainnetError (cause kept).
// aoconnect (an optional peer dependency) is imported on first use: apps that never use mainnet do not load it, and a dynamic import resolves
// its ESM build even where a CJS loader transforms this file (its CJS build fails in mainnet mode).
import type { AoResult, DryrunRequest, ResultsPage, SignedDataItem, Tag, Transport } from '../types.js'
import { MissingDependencyError } from '../errors.js'
import { MainnetError, UnsupportedOperationError } from './errors.js'

/** The part of aoconnect's mainnet client this transport uses (injectable for tests). */
export type MainnetClient = {
  spawn(args: { module: string; tags: Tag[]; data: string }): Promise<unknown>
  message(args: { process: string; tags: Tag[]; data: string; returnMessageId: true }): Promise<unknown>
  result(args: { process: string; message: string }): Promise<unknown>
  results(args: { process: string }): Promise<unknown>
  dryrun(args: { process: string; tags: Tag[]; data?: string }): Promise<unknown>
}

export type MainnetTransportOptions = {
  /** The HyperBEAM node, e.g. https://push.forward.computer */
  url: string
  /** An aoconnect signer (`createSigner(wallet)`): it signs the HTTP messages. */
  signer: unknown
  /** Replaces `connect(...)`; for tests. */
  client?: MainnetClient
}

export function mainnet(options: MainnetTransportOptions): Transport {
  let loaded: Promise<MainnetClient> | undefined
  const getClient = (): Promise<MainnetClient> =>
    (loaded ??= options.client
      ? Promise.resolve(options.client)
      : import('@permaweb/aoconnect').then(
          ({ connect }) => connect({ MODE: 'mainnet', URL: options.url, signer: options.signer as never }) as unknown as MainnetClient,
          (cause: unknown) => {
            loaded = undefined
            throw new MissingDependencyError('@permaweb/aoconnect', 'The mainnet transport', { cause })
          },
        ))
  const text = (data: Uint8Array) => new TextDecoder().decode(data)

  /** Runs an aoconnect call, turning its untyped failure into a MainnetError. */
  async function call<T>(operation: string, run: (client: MainnetClient) => Promise<T>): Promise<T> {
    const client = await getClient()
    try {
      return await run(client)
    } catch (cause) {
      throw new MainnetError(operation, { cause })
    }
  }

  const unsupported = (operation: string) => async (): Promise<never> => {
    throw new UnsupportedOperationError('mainnet', operation, "aoconnect's mainnet mode has no such call.")
  }

  return {
    name: 'mainnet',

    async message(item: SignedDataItem) {
      if (!item.target) throw new TypeError('A message needs a target process')
      const process = item.target
      const id = await call('message', (client) => client.message({ process, tags: item.tags, data: text(item.data), returnMessageId: true }))
      return { id: String(id) }
    },

    async spawn(item: SignedDataItem) {
      const module = item.tags.find((tag) => tag.name === 'Module')?.value
      if (!module) throw new TypeError('A spawn item needs a Module tag')
      const id = await call('spawn', (client) => client.spawn({ module, tags: item.tags, data: text(item.data) }))
      return { id: String(id) }
    },

    async result({ process, message }) {
      return (await call('result', (client) => client.result({ process, message }))) as AoResult
    },

    async results({ process }) {
      return (await call('results', (client) => client.results({ process }))) as ResultsPage
    },

    async dryrun(request: DryrunRequest) {
      return (await call('dryrun', (client) => client.dryrun({ process: request.process, tags: request.tags, data: request.data }))) as AoResult
    },

    assign: unsupported('assign'),
    monitor: unsupported('monitor'),
    unmonitor: unsupported('unmonitor'),
  }
}
