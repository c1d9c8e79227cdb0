// The tags and environment of a new process: the Process message tags net.spawn and net.mock sign, and the
// AoEnv a process evaluates with.
import type { AoEnv } from '../vm/processVm.js'
import { hasAuthority, type NetworkMessage, type Tag } from './messenger.js'

/** The Module tag of a mock process: not a wasm module, a handler in the test. */
export const MOCK_MODULE = 'aokit-mock'

/**
 * Process message tags for net.spawn: Data-Protocol, Variant, Type=Process, Module, Scheduler,
 * Authority=<messenger> (as the aos CLI adds it), then `userTags` (a same-named tag replaces a default one;
 * Authority tags add to it).
 */
export function spawnTags(userTags: Tag[], module: string, scheduler: string, messenger: string): Tag[] {
  const defaults: Tag[] = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Process' },
    { name: 'Module', value: module },
    { name: 'Scheduler', value: scheduler },
  ].filter((tag) => !userTags.some((user) => user.name === tag.name))
  const tags = [...defaults, ...userTags]
  if (!hasAuthority(tags, messenger)) tags.splice(defaults.length, 0, { name: 'Authority', value: messenger })
  return tags
}

/** Process message tags for net.mock. */
export function mockTags(name: string | undefined, scheduler: string, messenger: string): Tag[] {
  return [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Process' },
    { name: 'Module', value: MOCK_MODULE },
    { name: 'Scheduler', value: scheduler },
    { name: 'Authority', value: messenger },
    ...(name === undefined ? [] : [{ name: 'Name', value: name }]),
  ]
}

/** The environment a process created for `message` evaluates with. */
export function processEnv(message: NetworkMessage, owner: string, module: string, moduleOwner: string): AoEnv {
  return {
    Process: { Id: message.Id, Owner: owner, Tags: message.Tags },
    Module: {
      Id: module,
      Owner: moduleOwner,
      Tags: [
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Type', value: 'Module' },
        { name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' },
      ],
    },
  }
}
