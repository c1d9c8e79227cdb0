// Shared steps for the network tests: load Lua into a process as its owner, read printed output.
import { expect } from 'chai'
import type { AoNetwork, SendResult } from '../../../harness/network/network.js'

export const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '')

/** Evaluates Lua in a process as its owner (Action = Eval) and fails the test on an Error. */
export async function evalLua(net: AoNetwork, processId: string, owner: string, code: string): Promise<SendResult> {
  const sent = await net.send({ from: owner, to: processId, tags: { Action: 'Eval' }, data: code })
  expect(sent.result.Error, sent.result.Error && stripAnsi(sent.result.Error)).to.equal(undefined)
  return sent
}

/** The printed text of a result (Output.data without colours). */
export const printed = (result: { Output?: unknown }) => stripAnsi(String((result.Output as { data?: unknown } | undefined)?.data ?? ''))

export const tag = (tags: { name: string; value: unknown }[], name: string) => tags.find((t) => t.name === name)?.value
