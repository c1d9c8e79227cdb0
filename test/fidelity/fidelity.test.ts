// Differential test: every case of the corpus evaluated by aokit's harness must give the results the real aos 2.0.6
// module gives (the oracle, run fresh in a child process: nothing is checked in), after normalise().
import { expect } from 'chai'
import { replay } from '../../harness/replay.js'
import { cases, knownDifferences } from './cases.js'
import type { AokitResult } from './knownDifferenceCases.js'
import { normalise } from './normalise.js'
import { runReference } from './reference.js'
import type { ReplayFile, ReplayMessage } from './replayFile.js'

const FIELDS = ['Error', 'Output', 'Messages', 'Spawns', 'Assignments'] as const
type Result = Record<string, unknown>

/** A short label for the message behind result i, for failure messages. */
function describeMessage(file: ReplayFile, i: number): string {
  const m: ReplayMessage = i === 0 ? file.process : file.messages[i - 1]
  if (i === 0) return 'result 0 (Process message)'
  const action = m.Tags.find((t) => t.name.toLowerCase() === 'action')?.value
  const detail = action === 'Eval' ? `Eval ${JSON.stringify((m.Data ?? '').slice(0, 60))}` : `Action=${action ?? '-'}`
  return `result ${i} (${detail})`
}

/** Asserts one result equals the reference, field by field so a failure names the field and shows its diff. */
function expectSameResult(got: Result | undefined, want: Result, label: string): void {
  expect(got, `${label}: missing`).to.be.an('object')
  expect(Object.keys(got!).sort(), `${label}: result fields`).to.deep.equal(Object.keys(want).sort())
  for (const field of FIELDS) {
    expect(got![field], `${label}: ${field}`).to.deep.equal(want[field])
  }
  expect(got, label).to.deep.equal(want)
}

/** Asserts aokit's documented result where it differs: exactly the pinned Error, or the pinned Output data with
 *  the reference's sends (or the pinned Targets), spawns and assignments. */
function expectDocumentedResult(got: Result | undefined, pinned: AokitResult, want: Result, label: string): void {
  expect(got, `${label}: missing`).to.be.an('object')
  if ('Error' in pinned) {
    expect(got, `${label}: aokit's documented result`).to.deep.equal({ Error: pinned.Error })
    return
  }
  expect(got!.Error, `${label}: aokit's documented result is not an Error`).to.equal(undefined)
  expect((got!.Output as { data?: unknown } | undefined)?.data, `${label}: aokit's documented Output data`).to.equal(pinned.data)
  const messages = got!.Messages as { Target?: unknown }[]
  if (pinned.targets) expect(messages.map((m) => m.Target), `${label}: Targets of the sends`).to.deep.equal(pinned.targets)
  else expect(messages, `${label}: Messages`).to.deep.equal(want.Messages)
  expect(got!.Spawns, `${label}: Spawns`).to.deep.equal(want.Spawns)
  expect(got!.Assignments, `${label}: Assignments`).to.deep.equal(want.Assignments)
}

function sameResult(got: Result | undefined, want: Result): boolean {
  try {
    expect(got).to.deep.equal(want)
    return true
  } catch {
    return false
  }
}

describe('fidelity: aokit harness vs the real aos 2.0.6 module', function () {
  const names = Object.keys(cases)
  const reference: Record<string, Result[]> = {}

  before(async function () {
    // One child process evaluates the whole corpus with the real module (~15 s).
    this.timeout(300_000)
    const outputs = await runReference(names.map((n) => cases[n]))
    names.forEach((name, i) => (reference[name] = outputs[i].results.map(normalise)))
  })

  for (const name of names) {
    const file = cases[name]
    const known = knownDifferences[name]
    const title = known ? `${name} — differs as documented: ${known.knownDifference}` : `${name}: ${file.description}`

    it(title, async function () {
      const want = reference[name]
      const got = (await replay(file)).results.map((r) => normalise(r))
      expect(got.length, `${name}: number of results`).to.equal(want.length)

      if (!known) {
        want.forEach((w, i) => expectSameResult(got[i], w, `${name} ${describeMessage(file, i)}`))
        return
      }
      // A known difference must still be there, exactly where documented and with aokit's documented result, and
      // nowhere else: otherwise the mark is stale (remove it), aokit changed, or the difference has spread.
      for (const index of Object.keys(known.aokit).map(Number)) {
        expect(index, `${name}: documented result ${index} does not exist`).to.be.below(want.length)
      }
      want.forEach((w, i) => {
        const label = `${name} ${describeMessage(file, i)}`
        const pinned = known.aokit[i]
        if (!pinned) {
          expectSameResult(got[i], w, label)
          return
        }
        expect(sameResult(got[i], w), `${label}: documented to differ but matches the reference; remove the mark`).to.equal(false)
        expectDocumentedResult(got[i], pinned, w, label)
      })
    })
  }
})
