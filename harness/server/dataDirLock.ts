// One devnet per data dir: a lock file holding the owner's pid, taken when a Devnet opens the dir and removed when
// it closes. Two devnets on one dir would interleave one log. A lock whose process is gone (SIGKILL, a crash) is
// stale and taken over, so a killed devnet restarts on its dir without anyone deleting files.
import { mkdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DataDirLockedError } from './errors.js'

/** The lock's name inside the data dir. */
export const LOCK_FILE = 'devnet.lock'

export type DataDirLock = {
  /** Absolute path of the lock file. */
  readonly file: string
  /** Removes the lock if it is still this process's; calling it twice is harmless. */
  release(): void
}

/**
 * Lock files this process holds. A lock naming our own pid is live only if it is one of these: otherwise an earlier
 * process had the same pid (containers restart as pid 1) and died without removing it.
 */
const held = new Set<string>()
let exitHookInstalled = false

/**
 * Takes the data dir's lock, creating the dir if missing.
 *
 * @throws {DataDirLockedError} a live process holds it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true })
  const file = join(realpathSync(dataDir), LOCK_FILE)
  // A few rounds: a stale lock taken over by another process between our read and our write is seen live next round.
  for (let round = 0; round < 3; round++) {
    if (tryCreate(file)) {
      held.add(file)
      installExitHook()
      return { file, release: () => release(file) }
    }
    const owner = readOwner(file)
    if (owner !== undefined && isLive(owner, file)) throw new DataDirLockedError(resolve(dataDir), owner, file)
    removeIfPresent(file)
  }
  throw new DataDirLockedError(resolve(dataDir), readOwner(file) ?? 0, file)
}

/** Creates the lock with our pid, or returns false if it exists ('wx' is O_EXCL: one creator wins). */
function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** The pid in a lock file; undefined if it vanished or holds no pid (a crash mid-write), which counts as stale. */
function readOwner(file: string): number | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
  const pid = Number(text)
  return /^\d+$/.test(text) && pid > 0 && Number.isSafeInteger(pid) ? pid : undefined
}

function isLive(pid: number, file: string): boolean {
  if (pid === process.pid) return held.has(file)
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function release(file: string): void {
  if (!held.delete(file)) return
  // Someone may have deleted our lock by hand and started another devnet: leave theirs alone.
  if (readOwner(file) === process.pid) removeIfPresent(file)
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** A process that exits with a devnet still open leaves no lock behind (a killed one does; it is stale then). */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const file of [...held]) release(file)
  })
}
