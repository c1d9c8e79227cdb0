// A failing sequence as a mocha test to paste: the same network seed and setup call, one t.send per line, the
// addresses written as the names the setup (or the actors list) gave them.
import type { Step } from './types.js'

export type ReproductionInput = {
  title: string
  /** The network's seed, when one was given. */
  networkSeed?: string
  /** The network had options besides the seed, which the test cannot spell out. */
  otherNetworkOptions: boolean
  setupName: string
  invariantsName: string
  actors: readonly string[]
  /** The actors' addresses, in the same order. */
  actorAddresses: readonly string[]
  /** What setup returned. */
  context: Record<string, unknown>
  sequence: readonly Step[]
  /** The invariant to assert at the end; none when the last send is what fails. */
  invariant?: string
}

const RESERVED = new Set(['t', 'ctx', 'expect', 'await', 'async', 'const', 'let', 'var', 'new', 'this', 'function', 'return', 'class', 'delete', 'default', 'in', 'of', 'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'break', 'continue', 'try', 'catch', 'finally', 'throw', 'typeof', 'instanceof', 'void', 'with', 'yield', 'import', 'export', 'super', 'null', 'true', 'false', 'undefined'])
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name)
}

export function reproductionTest(input: ReproductionInput): string {
  const reserved = new Set([...RESERVED, input.setupName, input.invariantsName])
  // address → how the test names it; setup's names first, then the actors' wallet names.
  const named = new Map<string, { code: string; context?: string; wallet?: string }>()
  for (const [key, value] of Object.entries(input.context)) {
    if (key === 'actors' || !IDENTIFIER.test(key) || reserved.has(key)) continue
    if (typeof value === 'string' && !named.has(value)) named.set(value, { code: key, context: key })
    // A list of ids (shards, say): each as its element.
    if (Array.isArray(value)) value.forEach((item, i) => typeof item === 'string' && !named.has(item) && named.set(item, { code: `${key}[${i}]`, context: key }))
  }
  const taken = new Set([...named.values()].map((n) => n.context))
  input.actors.forEach((name, i) => {
    const address = input.actorAddresses[i]!
    if (named.has(address)) return
    const free = IDENTIFIER.test(name) && !reserved.has(name) && !taken.has(name)
    named.set(address, free ? { code: name, wallet: name } : { code: `t.wallet(${quote(name)})` })
    if (free) taken.add(name)
  })

  const used = new Set<string>()
  const value = (text: string) => {
    const name = named.get(text)
    if (!name) return quote(text)
    used.add(text)
    return name.code
  }
  const sends = input.sequence.map((step) => {
    const { Action: action = step.action, ...rest } = step.tags
    const tags = Object.entries(rest).map(([name, v]) => `${propertyKey(name)}: ${value(v)}`)
    const args = [value(step.from), value(step.to), quote(action)]
    if (tags.length > 0 || step.data !== undefined) args.push(tags.length > 0 ? `{ ${tags.join(', ')} }` : '{}')
    if (step.data !== undefined) args.push(quote(step.data))
    return `  await t.send(${args.join(', ')})`
  })

  const options = [input.networkSeed === undefined ? '' : `{ seed: ${quote(input.networkSeed)} }`, input.otherNetworkOptions ? '/* and the other network options given to checkInvariants */' : '']
  const lines = [
    `it(${quote(input.title)}, async () => {`,
    `  const t = createTestNetwork(${options.filter(Boolean).join(' ')})`,
    `  const ctx = { ...(await ${input.setupName}(t)), actors: [${input.actors.map(quote).join(', ')}].map((name) => t.wallet(name)) }`,
  ]
  // Declared in setup's key order, then the actors' order, whatever order the sends use them in.
  const declared = [...named].filter(([address]) => used.has(address)).map(([, n]) => n)
  const fromContext = declared.filter((n) => n.context !== undefined)
  if (fromContext.length > 0) lines.push(`  const { ${[...new Set(fromContext.map((n) => n.context))].join(', ')} } = ctx`)
  for (const { wallet } of declared) if (wallet !== undefined) lines.push(`  const ${wallet} = t.wallet(${quote(wallet)})`)
  lines.push(...sends)
  if (input.invariant !== undefined) {
    lines.push(`  expect(await ${input.invariantsName}${IDENTIFIER.test(input.invariant) ? `.${input.invariant}` : `[${quote(input.invariant)}]`}(t, ctx)).to.not.equal(false)`)
  }
  lines.push('})')
  return lines.join('\n')
}
