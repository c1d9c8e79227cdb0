// What the aos engine's host and its child process say to each other over the IPC channel, one request at a time.
type Env = { Process: { Id: string; Owner: string; Tags: { name: string; value: string }[] }; Module: unknown }

export type WorkerRequest = { id: number } & (
  | { op: 'create'; pid: string; memoryLimit: number }
  | { op: 'evaluate' | 'dryRun'; pid: string; message: Record<string, unknown>; env: Env }
  | { op: 'read'; pid: string; path: string; env: Env }
  | { op: 'snapshot' | 'revert'; pid: string; sid: string }
  | { op: 'fork'; pid: string; from: string; memoryLimit: number }
  | { op: 'drop'; pids: string[]; sids: string[] }
)

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string }

/** Distributes Omit over a union, so each request keeps its own fields. */
export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never
