// Deterministic ids and wallet addresses for the in-memory network: everything derives from the network's
// seed, so two networks built with the same seed and the same calls produce byte-identical ids.
import { createHash } from 'node:crypto'

/** sha256 of the text, base64url: 43 characters, the shape of an Arweave id or address. */
export function hashId(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

export class Ids {
  private readonly counters = new Map<string, number>()

  constructor(
    readonly seed: string,
    /** Fixed addresses for the messenger and scheduler instead of seed-derived ones (a devnet uses AO's). */
    private readonly fixed: { messenger?: string; scheduler?: string } = {},
  ) {}

  /** The next id of a kind (`process`, `message`…): sha256(`${seed}:${kind}:${counter}`), counters per kind. */
  next(kind: string): string {
    const counter = this.counters.get(kind) ?? 0
    this.counters.set(kind, counter + 1)
    return hashId(`${this.seed}:${kind}:${counter}`)
  }

  /** The counters, to hand back to revert: ids after a revert repeat the ones handed out after the snapshot. */
  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.counters)
  }

  revert(counters: ReadonlyMap<string, number>): void {
    this.counters.clear()
    for (const [kind, counter] of counters) this.counters.set(kind, counter)
  }

  /** A stable wallet address for a name: the same name gives the same address on this seed. */
  wallet(name: string): string {
    return hashId(`${this.seed}:wallet:${name}`)
  }

  /** The network's own wallets; a `~` prefix keeps them apart from any wallet(name) a user asks for. */
  get messenger(): string {
    return this.fixed.messenger ?? this.wallet('~messenger')
  }
  get scheduler(): string {
    return this.fixed.scheduler ?? this.wallet('~scheduler')
  }
  get moduleOwner(): string {
    return this.wallet('~module-owner')
  }
}
