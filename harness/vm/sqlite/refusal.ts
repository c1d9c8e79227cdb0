// What a contract's SQL may not do. sql.js offers no authorizer, so statements are screened by their keywords,
// read with string literals, quoted names and comments removed.

const REFUSED: [RegExp, string][] = [
  [/\battach\b/i, 'ATTACH is refused: a process database cannot reach files or other databases'],
  [/\bvacuum\b[\s\S]*\binto\b/i, 'VACUUM INTO is refused: a process database cannot write files'],
  [/\bload_extension\b/i, 'load_extension is refused'],
  [/\b(max_page_count|page_size|hard_heap_limit|soft_heap_limit)\b/i, 'PRAGMA max_page_count, page_size and heap limits are refused: the size limits are the host\'s'],
  [/\bcreate\s+(temp|temporary)\b|\btemp\s*\./i, 'TEMP tables are refused: they would not be part of the process state'],
]

/** Why `sql` is refused (lsqlite3 reports it as SQLITE_AUTH), or undefined when it may run. */
export function refusal(sql: string): string | undefined {
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, ' ')
  for (const [pattern, reason] of REFUSED) if (pattern.test(bare)) return `not authorized: ${reason}`
  return undefined
}
