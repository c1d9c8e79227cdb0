// Deploys a Lua contract to an AO network through the SDK, idempotently: bundle its local requires (as aos
// `.load` does), spawn, load by Eval, check the result, verify with a dry-run, and record it in
// deployments/<network>.json. Unchanged source does nothing; changed source is loaded into the same process by
// Eval (or into a new one with `respawn`).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { bundleLua } from '../harness/bundle.js'
import { AOS_MODULE } from '../sdk/constants.js'
import { dryrun } from '../sdk/actions/dryrun.js'
import { ProcessError } from '../sdk/actions/errors.js'
import { sendAndWait } from '../sdk/actions/sendAndWait.js'
import { spawn } from '../sdk/actions/spawn.js'
import type { Client } from '../sdk/client.js'
import { AokitError } from '../sdk/errors.js'
import { locateLuaError } from '../harness/testing/luaLocation.js'

// `aokit/deploy` is this file: deploy, and the `.load` bundler it uses.
export { bundleLua, type BundledModule, type BundleReturnType } from '../harness/bundle.js'

/** Where a deployment went: the network's name and the API it was reached through. */
export type DeployNetwork = { name: string } & (
  | { api: 'legacy'; muUrl: string; cuUrl: string }
  | { api: 'hyperbeam'; url: string }
  | { api: 'local' }
)

/** One deployed contract, as the manifest records it. `network` is absent in manifests written before it was kept. */
export type DeploymentRecord = { process: string; sourceHash: string; module: string; deployedAt: string; updatedAt: string; network?: DeployNetwork }

/** The manifest records the contract on another network than this deploy's: its process may not be there. */
export class DeployNetworkError extends AokitError {
  override name = 'DeployNetworkError'
  constructor(readonly contract: string, readonly recorded: string, readonly requested: string) {
    super(`${contract} is recorded on ${recorded}, not ${requested}`, {
      details: 'use another --manifest for this network, or --respawn to spawn a new process here',
    })
  }
}
export type DeploymentManifest = Record<string, DeploymentRecord>

/**
 * The contract's Eval answered an Error. The process's text names `[string "aos"]:N` (the Eval chunk): `location`
 * is that line in the contract files (`contracts/x.lua:3`), when it maps to one.
 */
export class ContractLoadError extends ProcessError {
  override name = 'ContractLoadError'
  constructor(
    process: string,
    messageId: string | undefined,
    error: string,
    readonly file: string,
    readonly location: string | undefined,
  ) {
    super(process, messageId, error)
    this.message = `Loading ${file} failed${location === undefined ? '' : ` at ${location}`} (process ${process}).\n\nDetails: ${this.details}`
  }
}

export type DeployParameters = {
  /** The contract's main Lua file. */
  file: string
  client: Client
  /** Default: the client's transport's network's (a HyperBEAM node's own address), else AO's legacy scheduler. */
  scheduler?: string
  /** Recorded in the manifest; a record from another network is refused unless `respawn`. */
  network?: DeployNetwork
  /** Where the manifest lives, e.g. deployments/devnet.json. */
  manifestPath: string
  /** Manifest key (default: the file name without .lua). */
  name?: string
  module?: string
  /** Extra tags for the Process message (e.g. Cron-Interval); Name is the manifest key unless given here. */
  tags?: Record<string, string>
  /** Spawn a new process even if one is recorded. */
  respawn?: boolean
  /** Print the plan; send nothing, write nothing. */
  dryRun?: boolean
  log?: (line: string) => void
  now?: () => Date
}

export type DeployReturnType = { action: 'spawned' | 'updated' | 'unchanged' | 'planned'; process?: string; sourceHash: string }

export async function deploy(params: DeployParameters): Promise<DeployReturnType> {
  const log = params.log ?? (() => undefined)
  const now = () => (params.now ?? (() => new Date()))().toISOString()
  const name = params.name ?? basename(params.file).replace(/\.lua$/, '')
  const module = params.module ?? AOS_MODULE

  const { source, modules, origins } = bundleLua(params.file)
  const sourceHash = createHash('sha256').update(source).digest('hex')
  log(`bundle   ${params.file} with ${modules.length} module(s), sha256 ${sourceHash.slice(0, 12)}…`)

  const manifest = readManifest(params.manifestPath)
  const recorded = manifest[name]
  const there = recorded?.network?.name
  if (there !== undefined && params.network !== undefined && there !== params.network.name && !params.respawn) {
    throw new DeployNetworkError(name, there, params.network.name)
  }
  const plan = !recorded || params.respawn ? 'spawn' : recorded.sourceHash === sourceHash ? 'nothing' : 'update'
  if (plan === 'nothing') {
    log(`unchanged ${name} is ${recorded!.process}; nothing to do`)
    return { action: 'unchanged', process: recorded!.process, sourceHash }
  }
  if (params.dryRun) {
    log(plan === 'spawn' ? `would spawn ${name} (module ${module}) and load it` : `would load the new source into ${recorded!.process} by Eval`)
    return { action: 'planned', process: recorded?.process, sourceHash }
  }

  let process = recorded?.process
  if (plan === 'spawn') {
    process = await spawn(params.client, { module, scheduler: params.scheduler, tags: { Name: name, ...params.tags } })
    log(`spawn    ${process}`)
  }
  const loaded = await sendAndWait(params.client, { process: process!, tags: { Action: 'Eval' }, data: source })
  if (loaded.result.Error !== undefined) {
    const error = String(loaded.result.Error)
    throw new ContractLoadError(process!, loaded.id, error, params.file, locateLuaError(error, origins).location)
  }
  log(`eval     ${loaded.id} ok`)

  // Verification: the process answers an owner's read of its handler list, so the code is live there.
  const check = await dryrun(params.client, { process: process!, tags: { Action: 'Eval' }, data: 'return #Handlers.list' })
  if (check.Error !== undefined) throw new ProcessError(process!, undefined, check.Error)
  log(`verify   ${process} answers a dry-run`)

  const at = now()
  manifest[name] = {
    process: process!,
    sourceHash,
    module,
    deployedAt: plan === 'spawn' ? at : recorded!.deployedAt,
    updatedAt: at,
    ...(params.network ? { network: params.network } : {}),
  }
  writeManifest(params.manifestPath, manifest)
  log(`record   ${params.manifestPath}`)
  return { action: plan === 'spawn' ? 'spawned' : 'updated', process, sourceHash }
}

function readManifest(path: string): DeploymentManifest {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DeploymentManifest) : {}
}

function writeManifest(path: string, manifest: DeploymentManifest): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n')
}
