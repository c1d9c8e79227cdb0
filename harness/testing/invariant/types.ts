// The shapes checkInvariants takes and gives; fast-check is imported for its types only (loaded when it runs).
import type { Arbitrary } from 'fast-check'
import type { AoNetworkOptions } from '../../network/network.js'
import type { TestNetwork } from '../testNetwork.js'

/** Tags of one message, Action aside: names to string values. */
export type Tags = Record<string, string>

/** What setup returned, plus `actors`: the actors' wallet addresses, in the order of the `actors` option. */
export type InvariantContext<C> = C & { actors: string[] }

/** One generated message: who sent which action, to which process, with which tags and Data. */
export type Step = {
  /** The sender's address. */
  from: string
  /** The key of the action in `actions`. */
  action: string
  /** The process it was sent to. */
  to: string
  /** Its tags, Action included (first). */
  tags: Tags
  data?: string
}

/** Tags for an action: may depend on who sends it (`from`, an address). */
export type TagsArbitrary<C> = (ctx: InvariantContext<C>, from: string) => Arbitrary<Tags>

/** One kind of message the runner may send. */
export type ActionSpec<C> =
  | TagsArbitrary<C>
  | {
      /** The Action tag; default: the action's key. */
      action?: string
      /** Tags besides Action; default: none. */
      tags?: TagsArbitrary<C>
      /** Data of the message; default: none. */
      data?: (ctx: InvariantContext<C>, from: string) => Arbitrary<string>
      /** Who may send it (addresses); default: every actor. */
      from?: (ctx: InvariantContext<C>) => readonly string[]
      /** The process it goes to; default: `target`. */
      to?: (ctx: InvariantContext<C>, from: string) => string
      /** How often it is picked relative to the others (fast-check oneof weight); default 1. */
      weight?: number
    }

/** Holds when it returns anything but false and does not throw. Checked after setup and after every message. */
export type Invariant<C> = (t: TestNetwork, ctx: InvariantContext<C>) => boolean | void | Promise<boolean | void>

export type CheckInvariantsOptions<C extends object> = {
  /** Names the replay file and the printed test; default 'invariants'. */
  name?: string
  /** Options of the network the runner creates (createTestNetwork); only `seed` is printed in the test. */
  network?: { seed?: string } & AoNetworkOptions
  /** Deploys what is tested, once; every run starts from a snapshot taken after it. */
  setup: (t: TestNetwork) => Promise<C> | C
  /** Wallet names that send the messages (`t.wallet(name)`). */
  actors: readonly string[]
  /** The messages a sequence is made of, by key. */
  actions: Record<string, ActionSpec<C>>
  invariants: Record<string, Invariant<C>>
  /** The process messages go to by default, and whose history the replay file holds. */
  target: (ctx: InvariantContext<C>) => string
  /** Sequences to try (default 100). */
  runs?: number
  /** Longest sequence (default 20). */
  maxMessages?: number
  /** fast-check seed; default: a random one, printed on failure. */
  seed?: number
  /** With `seed`, runs only this counterexample path (printed on failure). */
  path?: string
  /** Folder the replay file is written to on failure (default '.aokit/fuzz'); false writes none. */
  replayDir?: string | false
  /** How the printed test calls setup and the invariants (default `setup` and `invariants`). */
  names?: { setup?: string; invariants?: string }
}

export type CheckInvariantsResult = {
  seed: number
  /** Sequences run. */
  runs: number
}
