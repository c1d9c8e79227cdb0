// The messenger unit: turns what a process put in its outbox into the messages other processes evaluate,
// re-signed by the messenger's wallet (spec §6, permaweb/ao servers/mu build-tx).
import type { AoOutboxMessage, AoTag } from '../vm/processVm.js'

export type Tag = { name: string; value: string }
/** A message as it exists on the network before a scheduler assigns it (no Nonce, Timestamp…). */
export type NetworkMessage = {
  Id: string
  Owner: string
  From: string
  Target: string
  Anchor: string
  Data: string
  Tags: Tag[]
  'Forwarded-By'?: string
}

/** What the messenger needs to know about the sending process. */
export type Sender = { id: string; module: string }

/** Tags the messenger replaces with its own. */
const REPLACED_TAGS = new Set(['Data-Protocol', 'Type', 'From-Process', 'From-Module'])

/**
 * Tag values become strings with String(value), as a data item's tags are strings (true → "true", 5 → "5").
 * Tags from Lua may be anything: a list that is not one, or an entry that is not a table, gives no tag.
 */
export function stringTags(tags: AoTag[] | undefined): Tag[] {
  if (!Array.isArray(tags)) return []
  return tags.filter((tag) => typeof tag === 'object' && tag !== null).map(({ name, value }) => ({ name: String(name), value: String(value) }))
}

/** Data as the messenger signs it: absent or empty → a single space; a number or boolean → String(value). */
export function messengerData(data: unknown): string {
  if (data === undefined || data === null || data === '') return ' '
  return typeof data === 'string' ? data : String(data)
}

/** The sender's tags minus the replaced ones, then the messenger's, then Pushed-For when the chain has a root. */
export function messengerTags(tags: AoTag[] | undefined, type: 'Message' | 'Process', sender: Sender, pushedFor: string | undefined): Tag[] {
  return [
    ...stringTags(tags).filter((tag) => !REPLACED_TAGS.has(tag.name)),
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Type', value: type },
    { name: 'From-Process', value: sender.id },
    { name: 'From-Module', value: sender.module },
    ...(pushedFor === undefined ? [] : [{ name: 'Pushed-For', value: pushedFor }]),
  ]
}

export class Messenger {
  /** @param address the messenger's wallet: it signs (Owner) and forwards (Forwarded-By) every pushed message. */
  constructor(readonly address: string) {}

  /**
   * The message a target evaluates for an outbox message of `sender`. `pushedFor` is the id of the message
   * whose push started the chain (the MU's initial message id), not the immediate parent.
   */
  message(outbox: AoOutboxMessage, sender: Sender, id: string, pushedFor: string | undefined): NetworkMessage {
    return {
      Id: id,
      Owner: this.address,
      From: sender.id,
      'Forwarded-By': this.address,
      Target: outbox.Target ?? '',
      Anchor: outbox.Anchor ?? '',
      Data: messengerData(outbox.Data),
      Tags: messengerTags(outbox.Tags, 'Message', sender, pushedFor),
    }
  }

  /**
   * The Process message of a process spawned by `sender`: same rules, Type=Process, and the messenger as an
   * Authority (unless already listed) so the new process trusts the messages the messenger pushes to it.
   */
  processMessage(spawn: AoOutboxMessage, sender: Sender, id: string, pushedFor: string | undefined, scheduler: string): NetworkMessage {
    const tags = messengerTags(spawn.Tags, 'Process', sender, pushedFor)
    if (!tags.some((tag) => tag.name === 'Scheduler')) tags.push({ name: 'Scheduler', value: scheduler })
    if (!hasAuthority(tags, this.address)) tags.push({ name: 'Authority', value: this.address })
    return {
      Id: id,
      Owner: this.address,
      From: sender.id,
      'Forwarded-By': this.address,
      Target: id,
      Anchor: spawn.Anchor ?? '',
      Data: messengerData(spawn.Data),
      Tags: tags,
    }
  }

  /**
   * The notice a spawner gets once its spawn exists (spec §2): the spawn's tags plus Process=<new id> and
   * Action=Spawned, From-Process = the spawner (so `onReply` matching From = ao.id fires). Any Action or
   * Process tag the spawn carried is dropped so the notice's own are the only ones.
   */
  spawnedNotice(spawn: AoOutboxMessage, sender: Sender, processId: string, id: string, pushedFor: string | undefined): NetworkMessage {
    const spawnTags = stringTags(spawn.Tags).filter((tag) => tag.name !== 'Action' && tag.name !== 'Process')
    const tags = messengerTags([...spawnTags, { name: 'Process', value: processId }, { name: 'Action', value: 'Spawned' }], 'Message', sender, pushedFor)
    return {
      Id: id,
      Owner: this.address,
      From: sender.id,
      'Forwarded-By': this.address,
      Target: sender.id,
      Anchor: spawn.Anchor ?? '',
      Data: messengerData(spawn.Data),
      Tags: tags,
    }
  }
}

/** Whether an address appears in any (comma-separated) Authority tag. */
export function hasAuthority(tags: Tag[], address: string): boolean {
  return tags.some((tag) => tag.name === 'Authority' && tag.value.split(',').map((v) => v.trim()).includes(address))
}
