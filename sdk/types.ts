// The shapes every part of the SDK shares: tags, signers, signed data items, results, transports.

/** An ANS-104 tag. Values are strings on the wire. */
export type Tag = { name: string; value: string }
/** Tags as a map (one value per name) or as a list (order kept, duplicates allowed). */
export type TagsInput = Record<string, string> | Tag[]

/** ANS-104 signature types aokit signs with. */
export type SignatureType = 1 | 3

/** Signs raw bytes; `publicKey` is the ANS-104 owner (512-byte RSA modulus for type 1, 65-byte key for type 3). */
export type Signer = {
  type: SignatureType
  publicKey: Uint8Array
  /** The address AO shows for this signer (Arweave: base64url sha256(owner); Ethereum: EIP-55). */
  address: string
  sign(message: Uint8Array): Promise<Uint8Array>
}

/** A signed ANS-104 data item: its id (base64url sha256 of the signature) is known before it is sent. */
export type SignedDataItem = {
  id: string
  raw: Uint8Array
  owner: string
  target?: string
  anchor?: string
  tags: Tag[]
  data: Uint8Array
}

/** What a compute unit returns for a message. */
export type AoResult = {
  Output?: unknown
  Messages?: { Target?: string; Data?: unknown; Anchor?: string; Tags: { name: string; value: unknown }[] }[]
  Spawns?: unknown[]
  Assignments?: unknown[]
  Error?: unknown
  GasUsed?: number
}

export type ResultsPage = { edges: { cursor: string; node: AoResult }[] }

/** What a caller signs: the fields of a data item before its signature. */
export type UnsignedItem = { target?: string; anchor?: string; tags: Tag[]; data: Uint8Array }

/** A dry-run request: evaluated against the current state, changing nothing. */
export type DryrunRequest = {
  process: string
  owner?: string
  tags: Tag[]
  data?: string
  anchor?: string
  id?: string
  /**
   * Signs the dry-run as a data item, for APIs that take a signed one (HyperBEAM); the legacy CU takes JSON and
   * never calls it. Absent when the client cannot sign.
   */
  sign?: (item: UnsignedItem) => Promise<SignedDataItem>
}

/** What a transport's network puts in a spawn before it is signed (the signature covers every tag). */
export type SpawnDefaults = {
  /** Used when the caller names no scheduler. */
  scheduler: string
  /** Used when the caller names no Authority. */
  authority: string
  /** Tags the network's API needs on a Process item, added unless the caller set the same name. */
  tags: Tag[]
}

/** How a client reaches AO. Every transport returns the same shapes. */
export type Transport = {
  name: string
  /** Sends a signed message (target = process) and returns its id. */
  message(item: SignedDataItem): Promise<{ id: string }>
  /** Sends a signed Process data item and returns the new process id. */
  spawn(item: SignedDataItem): Promise<{ id: string }>
  result(params: { process: string; message: string }): Promise<AoResult>
  results(params: { process: string; from?: string; to?: string; limit?: number; sort?: 'ASC' | 'DESC' }): Promise<ResultsPage>
  dryrun(request: DryrunRequest): Promise<AoResult>
  assign(params: { process: string; message: string; baseLayer?: boolean; exclude?: string[] }): Promise<{ id: string }>
  monitor(item: SignedDataItem): Promise<void>
  unmonitor(item: SignedDataItem): Promise<void>
  /** The network's own spawn defaults, when they differ from the legacy network's (see sdk/actions/spawn.ts). */
  spawnDefaults?(): Promise<SpawnDefaults>
}
