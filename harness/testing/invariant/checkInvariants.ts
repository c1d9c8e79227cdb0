// Invariant testing on fast-check: random sequences of messages from a set of actors, every invariant checked after
// each message, a failure shrunk to its shortest sequence and reported as a mocha test and an ao-replay/1 file.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Arbitrary } from 'fast-check'
import { createTestNetwork, type TestNetwork } from '../testNetwork.js'
import { historyReplayFile } from './historyReplayFile.js'
import { InvariantError, InvariantOptionsError, type InvariantFailure } from './invariantError.js'
import { quote, reproductionTest } from './reproductionTest.js'
import type { ActionSpec, CheckInvariantsOptions, CheckInvariantsResult, InvariantContext, Step } from './types.js'
import { stripAnsi } from '../../ansi.js'

/** What went wrong in one sequence: the invariant (none when the send threw), how many steps ran, what was thrown. */
type Broken = { invariant?: string; steps: number; error?: unknown }

const DEFAULT_RUNS = 100
const DEFAULT_MAX_MESSAGES = 20

/**
 * Sets up once, then runs `runs` random sequences of up to `maxMessages` actions (each from the snapshot taken after
 * setup), checking every invariant after setup and after each message. Resolves when all held.
 *
 * @throws {InvariantError} an invariant returned false or threw (or a send threw): the message names it, the seed
 *   and path that rerun it, the shrunk sequence as a mocha test, and the replay file of the target's history.
 */
export async function checkInvariants<C extends object>(options: CheckInvariantsOptions<C>): Promise<CheckInvariantsResult> {
  // Loaded here: fast-check is needed by invariant tests only, not by every user of aokit/testing.
  const { default: fc } = await import('fast-check')
  const t = createTestNetwork(options.network ?? {})
  const setupResult = await options.setup(t)
  const actorAddresses = options.actors.map((name) => t.wallet(name))
  const ctx = { ...setupResult, actors: actorAddresses } as InvariantContext<C>
  const base = t.snapshot()

  const checkAll = async (steps: number): Promise<Broken | undefined> => {
    for (const [name, invariant] of Object.entries(options.invariants)) {
      try {
        if ((await invariant(t, ctx)) === false) return { invariant: name, steps }
      } catch (error) {
        return { invariant: name, steps, error }
      }
    }
    return undefined
  }
  const runSequence = async (sequence: readonly Step[]): Promise<Broken | undefined> => {
    t.revert(base)
    for (const [i, step] of sequence.entries()) {
      const { Action: action = step.action, ...tags } = step.tags
      try {
        await t.send(step.from, step.to, action, tags, step.data)
      } catch (error) {
        return { steps: i + 1, error }
      }
      const broken = await checkAll(i + 1)
      if (broken) return broken
    }
    return undefined
  }

  const report = (broken: Broken, sequence: Step[], seed: number, path: string) => fail(t, options, ctx, setupResult, broken, sequence, seed, path)
  const atStart = await checkAll(0)
  if (atStart) throw report(atStart, [], options.seed ?? 0, '')

  const step = stepArbitrary(fc, options, ctx)
  const property = fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: options.maxMessages ?? DEFAULT_MAX_MESSAGES }), async (sequence) => (await runSequence(sequence)) === undefined)
  const details = await fc.check(property, {
    numRuns: options.runs ?? DEFAULT_RUNS,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  })
  if (!details.failed || details.counterexample === null) {
    if (details.failed) throw details.errorInstance
    t.revert(base)
    return { seed: details.seed, runs: details.numRuns }
  }
  // Run the shrunk sequence once more: the network is left in its failing state, for the replay file.
  const [sequence] = details.counterexample
  const broken = await runSequence(sequence)
  if (!broken) throw new InvariantError({ sequence, seed: details.seed, path: details.counterexamplePath ?? '', test: '' }, `A sequence failed once but not when run again (seed ${details.seed}): an invariant or the setup is not deterministic.`)
  throw report(broken, sequence.slice(0, broken.steps), details.seed, details.counterexamplePath ?? '')
}

/** One message: an action, one of its senders, its tags and data. Every sender is its own alternative, so it shrinks. */
function stepArbitrary<C extends object>(fc: typeof import('fast-check').default, options: CheckInvariantsOptions<C>, ctx: InvariantContext<C>): Arbitrary<Step> {
  const entries = Object.entries(options.actions)
  if (entries.length === 0) throw new InvariantOptionsError('actions', 'names no action')
  const alternatives = entries.map(([key, spec]) => {
    const action = normalise(spec)
    const senders = action.from?.(ctx) ?? ctx.actors
    if (senders.length === 0) throw new InvariantOptionsError(`actions.${key}`, 'has no sender (its `from`, or `actors`, is empty)')
    const bySender = senders.map((from) => {
      const to = action.to?.(ctx, from) ?? options.target(ctx)
      const tags = action.tags?.(ctx, from) ?? fc.constant({})
      const data = action.data?.(ctx, from)
      return fc.record({ tags, ...(data ? { data } : {}) }).map(({ tags, data }): Step => ({
        from,
        action: key,
        to,
        tags: { Action: action.action ?? key, ...tags },
        ...(data === undefined ? {} : { data }),
      }))
    })
    return { weight: action.weight ?? 1, arbitrary: fc.oneof(...bySender) }
  })
  return fc.oneof(...alternatives)
}

function normalise<C>(spec: ActionSpec<C>): Exclude<ActionSpec<C>, (...args: never[]) => unknown> {
  return typeof spec === 'function' ? { tags: spec } : spec
}

/** The InvariantError for a failure: writes the replay file, prints the test. */
function fail<C extends object>(
  t: TestNetwork,
  options: CheckInvariantsOptions<C>,
  ctx: InvariantContext<C>,
  setupResult: C,
  broken: Broken,
  sequence: Step[],
  seed: number,
  path: string,
): InvariantError {
  const name = options.name ?? 'invariants'
  const target = options.target(ctx)
  const what = broken.invariant === undefined ? 'a message could not be delivered' : `invariant "${broken.invariant}" broke`
  const count = sequence.length === 1 ? '1 message' : `${sequence.length} messages`
  const { seed: networkSeed, ...otherNetworkOptions } = options.network ?? {}
  const test = reproductionTest({
    title: broken.invariant === undefined ? `${name}: every message is delivered (seed ${seed})` : `${name}: ${broken.invariant} holds (seed ${seed})`,
    networkSeed,
    otherNetworkOptions: Object.keys(otherNetworkOptions).length > 0,
    setupName: options.names?.setup ?? 'setup',
    invariantsName: options.names?.invariants ?? 'invariants',
    actors: options.actors,
    actorAddresses: ctx.actors,
    context: setupResult as Record<string, unknown>,
    sequence,
    invariant: broken.invariant,
  })
  let replayFile: string | undefined
  let replayNote: string
  if (options.replayDir === false) {
    replayNote = 'No replay file (replayDir: false).'
  } else {
    const dir = options.replayDir ?? '.aokit/fuzz'
    replayFile = join(dir, `${name}-${seed}.json`)
    try {
      const file = historyReplayFile(t.net, target, { name: `${name}-${seed}`, description: `The target's history up to the failure: ${what} after ${count} (checkInvariants seed ${seed}).` })
      mkdirSync(dir, { recursive: true })
      writeFileSync(replayFile, JSON.stringify(file, null, 2) + '\n')
      replayNote = `The target's history, as an ao-replay/1 file: ${replayFile} (npx aokit replay ${replayFile})`
    } catch (error) {
      replayNote = `No replay file: ${(error as Error).message.split('\n')[0]}`
      replayFile = undefined
    }
  }
  const because = broken.error === undefined ? 'It returned false.' : `It threw: ${errorText(broken.error)}`
  const text = [
    `${name}: ${what} after ${count} (seed ${seed}${path ? `, path ${quote(path)}` : ''}).`,
    broken.invariant === undefined ? `The last send threw: ${errorText(broken.error)}` : because,
    `Rerun it with the options seed: ${seed}${path ? `, path: ${quote(path)}` : ''}, or paste this test (setup and invariants as given to checkInvariants):`,
    '',
    test,
    '',
    replayNote,
  ].join('\n')
  const failure: InvariantFailure = { invariant: broken.invariant, sequence, seed, path, test, replayFile, error: broken.error }
  return new InvariantError(failure, text)
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return stripAnsi(text)
}
