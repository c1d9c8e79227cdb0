// A process written in TypeScript: stands in for something a test does not want to run as Lua (an external
// token, an oracle). The network schedules messages to it like to any process; the handler's answer is
// delivered like an outbox. Its state is whatever the handler closes over: snapshots do not cover it.
import { tagMap } from './messageTree.js'
import type { ProcessEvaluator } from './evaluator.js'
import type { AoEnv, AoMessage, AoResult } from '../vm/processVm.js'

/** A message as a mock handler sees it: tags as a map (first value of a name wins). */
export type MockMessage = {
  Id: string
  From: string
  Tags: Record<string, string>
  Data: string
  Timestamp: number
  'Read-Only': boolean
}

export type MockReply = {
  Messages?: { Target: string; Data?: string; Tags?: Record<string, string> }[]
  Output?: string
}

export type MockHandler = (message: MockMessage) => MockReply | void | Promise<MockReply | void>

export class MockProcess implements ProcessEvaluator {
  constructor(private readonly handler: MockHandler) {}

  evaluate(message: AoMessage, env: AoEnv): Promise<AoResult> {
    // Its own Process message only registers it: nothing for the handler to answer.
    if (message.Id === env.Process.Id) return Promise.resolve({})
    return this.call(message)
  }

  dryRun(message: AoMessage): Promise<AoResult> {
    return this.call(message)
  }

  read(): Promise<unknown> {
    return Promise.resolve(null)
  }

  snapshot(): undefined {
    return undefined
  }

  revert(): void {}

  private async call(message: AoMessage): Promise<AoResult> {
    const tags = Object.fromEntries(Object.entries(tagMap(message)).map(([name, value]) => [name, String(value)]))
    try {
      const reply = await this.handler({
        Id: message.Id,
        From: String(message.From ?? ''),
        Tags: tags,
        Data: String(message.Data ?? ''),
        Timestamp: Number(message.Timestamp ?? 0),
        'Read-Only': message['Read-Only'] === true,
      })
      return toResult(reply ?? {})
    } catch (error) {
      // A throwing handler is an errored evaluation, as a Lua error would be: the trace shows it.
      return { Error: error instanceof Error ? error.message : String(error) }
    }
  }
}

function toResult(reply: MockReply): AoResult {
  return {
    Output: reply.Output === undefined ? '' : { data: reply.Output, print: true },
    Messages: (reply.Messages ?? []).map((m) => ({
      Target: m.Target,
      Data: m.Data ?? '',
      Tags: Object.entries(m.Tags ?? {}).map(([name, value]) => ({ name, value })),
    })),
    Spawns: [],
    Assignments: [],
  }
}
