// loadFixture, as in Hardhat: a set-up paid once per mocha run, and a fresh copy of its state for every test.
// The first call runs the fixture on a new TestNetwork and snapshots it; every later call with the same function
// (and options) reverts that network to the snapshot and returns the same value, so the ids and addresses in it
// still name the same processes and wallets.
import { AokitError } from '../../sdk/errors.js'
import type { NetworkSnapshot } from '../network/snapshot.js'
import { createTestNetwork, type TestNetwork } from './testNetwork.js'

/** A set-up: spawns and funds on the network it is given, and returns what the tests need (with `t` itself). */
export type Fixture<T> = (t: TestNetwork) => Promise<T>

/** Options of the fixture's network, as createTestNetwork takes them. */
export type FixtureOptions = NonNullable<Parameters<typeof createTestNetwork>[0]>

/** loadFixture was given a function it cannot recognise on the next call. */
export class AnonymousFixtureError extends AokitError {
  override name = 'AnonymousFixtureError'
  constructor() {
    super('loadFixture needs a named function, declared once outside the tests.', {
      details: 'An inline arrow is a new function on every call, so its set-up would run for every test. Write `async function deployToken(t) { … }` and call loadFixture(deployToken).',
    })
  }
}

type Built<T> = { t: TestNetwork; snapshot: NetworkSnapshot; value: T }
type Entry = { options: FixtureOptions; built: Promise<Built<unknown>> }

// Per fixture function: one network for each set of options it was loaded with.
const fixtures = new Map<Fixture<unknown>, Entry[]>()

/**
 * The state a fixture built, fresh: runs `fixture` on a new network the first time (per function and options),
 * then on every call reverts that network to the snapshot taken right after it and returns the same value.
 * Changes a test makes are gone by the next call. A fixture that throws is not kept: the next call runs it again.
 *
 * @throws {AnonymousFixtureError} `fixture` has no name (an inline arrow).
 */
export async function loadFixture<T>(fixture: Fixture<T>, options: FixtureOptions = {}): Promise<T> {
  if (fixture.name === '') throw new AnonymousFixtureError()
  const entries = fixtures.get(fixture as Fixture<unknown>) ?? []
  fixtures.set(fixture as Fixture<unknown>, entries)
  let entry = entries.find((e) => sameOptions(e.options, options))
  if (!entry) {
    const built = build(fixture, options)
    const added: Entry = { options: { ...options }, built }
    entries.push(added)
    built.catch(() => entries.splice(entries.indexOf(added), 1))
    entry = added
  }
  const { t, snapshot, value } = (await entry.built) as Built<T>
  t.revert(snapshot)
  return value
}

async function build<T>(fixture: Fixture<T>, options: FixtureOptions): Promise<Built<T>> {
  const t = createTestNetwork(options)
  const value = await fixture(t)
  return { t, snapshot: t.snapshot(), value }
}

/** Same keys with the same values (===): a seed or limit changes the network, so it is another fixture. */
function sameOptions(a: FixtureOptions, b: FixtureOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof FixtureOptions>
  return [...keys].every((key) => a[key] === b[key])
}
