// A typed client for a process's handlers: each action says how params become tags and how the reply parses.
import { dryrun } from '../actions/dryrun.js'
import { ContractActionError, ProcessError } from '../actions/errors.js'
import { sendAndWait, type OutboxMessage, type WaitClock } from '../actions/sendAndWait.js'
import type { Client } from '../client.js'
import type { AoResult } from '../types.js'

/** What a parser sees: the reply addressed to the caller (when there is one) and the whole result. */
export type ContractReply = { reply: OutboxMessage | undefined; result: AoResult; id?: string }

export type ContractAction<P, R> = {
  /** The Action tag. */
  action: string
  /** `read` evaluates with a dry-run (no state change); `write` sends a signed message and waits for its result. */
  kind: 'read' | 'write'
  tags?: (params: P) => Record<string, string>
  data?: (params: P) => string
  parse: (reply: ContractReply) => R
}

/** Declares one action; `P` is inferred from `tags`/`data`, `R` from `parse`. */
export function action<P = void, R = unknown>(spec: ContractAction<P, R>): ContractAction<P, R> {
  return spec
}

type ParamsOf<A> = A extends ContractAction<infer P, unknown> ? P : never
type ReturnOf<A> = A extends ContractAction<never, infer R> ? R : never
/** An action call: no argument when its params are void. */
type Call<A> = [ParamsOf<A>] extends [void] ? (params?: void) => Promise<ReturnOf<A>> : (params: ParamsOf<A>) => Promise<ReturnOf<A>>

export type ContractInstance<Actions> = { readonly process: string } & { [K in keyof Actions]: Call<Actions[K]> }
export type ContractOptions = { clock?: WaitClock; timeout?: number }

/**
 * A contract: `defineContract({ balance: action({...}) })(client, processId).balance(...)`.
 * A result Error throws ProcessError; a reply whose Action ends in -Error throws ContractActionError.
 */
export function defineContract<Actions extends Record<string, ContractAction<any, any>>>(actions: Actions) {
  return (client: Client, process: string, options: ContractOptions = {}): ContractInstance<Actions> => {
    const instance: Record<string, unknown> = { process }
    for (const [key, spec] of Object.entries(actions)) {
      instance[key] = async (params: unknown) => {
        const tags = { Action: spec.action, ...(spec.tags?.(params) ?? {}) }
        const data = spec.data?.(params)
        const from = client.signer?.address
        let result: AoResult
        let id: string | undefined
        if (spec.kind === 'read') {
          result = await dryrun(client, { process, tags, data })
        } else {
          ;({ id, result } = await sendAndWait(client, { process, tags, data, clock: options.clock, timeout: options.timeout }))
        }
        if (result.Error !== undefined) throw new ProcessError(process, id, result.Error)
        const messages = result.Messages ?? []
        const failure = messages.find((message) => tagOf(message, 'Action')?.endsWith('-Error'))
        if (failure) throw new ContractActionError(spec.action, tagOf(failure, 'Action')!, tagOf(failure, 'Error'))
        const reply = (from && messages.find((message) => message.Target === from)) || messages[0]
        return spec.parse({ reply, result, id })
      }
    }
    return instance as ContractInstance<Actions>
  }
}

/** A tag of an outbox message, as a string. */
export function tagOf(message: OutboxMessage | undefined, name: string): string | undefined {
  // Exact name first; then any case, as contracts differ (the current aos token blueprint answers Info in lower case).
  const lower = name.toLowerCase()
  const tag = message?.Tags.find((t) => t.name === name) ?? message?.Tags.find((t) => t.name.toLowerCase() === lower)
  return tag === undefined ? undefined : String(tag.value)
}
