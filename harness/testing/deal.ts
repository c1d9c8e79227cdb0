// `t.deal(token, address, amount)`: what Foundry's deal does for ERC-20s, for an aos token. The balance is written
// straight into the process's Balances table with one owner Eval, so a test can start from any distribution
// without minting and transferring. The Eval fails (and changes nothing) when the table is missing.
import { AokitError } from '../../sdk/errors.js'

export type DealOptions = {
  /** The balances table: a global, or a dotted path into one (default `Balances`). */
  balances?: string
  /**
   * Also move the total supply by the change of the balance, as a mint or burn would: `true` for the global
   * `TotalSupply`, or the name (dotted path) of another. A decimal string stays one; a Lua number stays a number.
   */
  adjustSupply?: boolean | string
}

/** deal could not set the balance: no such table or supply, or an amount that is not an integer ≥ 0. */
export class DealError extends AokitError {
  override name = 'DealError'
}

// Markers the Lua raises, so the host tells a missing table from any other failure.
const NO_TABLE = 'aokit-deal: no balances table'
const NO_SUPPLY = 'aokit-deal: no supply'

/** The amount as the aos token blueprint stores it: a decimal string without sign or leading zeros. */
function decimal(amount: string | bigint | number): string {
  const text = String(amount)
  const ok = typeof amount === 'number' ? Number.isSafeInteger(amount) && amount >= 0 : /^\d+$/.test(text)
  if (!ok) throw new DealError(`deal amount must be an integer ≥ 0 (a string, bigint or safe integer), got ${JSON.stringify(text)}.`)
  return BigInt(text).toString()
}

function pathOf(option: string, path: string): string {
  const keys = path.split('.')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keys[0]!) || keys.some((key) => key === '')) {
    throw new DealError(`deal option ${option} "${path}" must be a global's name, or a dotted path into one.`)
  }
  return `{ ${keys.map(luaString).join(', ')} }`
}

function supplyPath(options: DealOptions): string | undefined {
  if (options.adjustSupply === undefined || options.adjustSupply === false) return undefined
  return options.adjustSupply === true ? 'TotalSupply' : options.adjustSupply
}

/** The Lua of a deal; it raises a marker error when the table (or the supply) is not there. */
export function dealLua(address: string, amount: string | bigint | number, options: DealOptions): string {
  const value = decimal(amount)
  const balances = pathOf('balances', options.balances ?? 'Balances')
  const supply = supplyPath(options)
  const lines = [
    'local function at(path) local t = _G for _, key in ipairs(path) do if type(t) ~= "table" then return nil end t = t[key] end return t end',
    `local balances = at(${balances})`,
    `if type(balances) ~= "table" then error(${luaString(NO_TABLE)}, 0) end`,
    `local address, value = ${luaString(address)}, ${luaString(value)}`,
    'local old = balances[address]',
  ]
  if (supply !== undefined) {
    lines.push(
      `local path = ${pathOf('adjustSupply', supply)}`,
      'local supply = at(path)',
      `if type(supply) ~= "string" and type(supply) ~= "number" then error(${luaString(NO_SUPPLY)}, 0) end`,
      // bint, as the token does: a supply of 10^16 and more is past a float's exact integers.
      'local bint = require(".bint")(256)',
      'local function big(v) if v == nil then return bint(0) end return bint(type(v) == "number" and math.tointeger(v) or v) end',
      'local total = big(supply) - big(old) + bint(value)',
      'local parent = #path == 1 and _G or at({ table.unpack(path, 1, #path - 1) })',
      'parent[path[#path]] = type(supply) == "number" and tonumber(tostring(total)) or tostring(total)',
    )
  }
  lines.push('balances[address] = value')
  return lines.join('\n')
}

/** The error for a deal Eval that failed, by the marker its Lua raised. */
export function dealFailure(luaError: string, options: DealOptions, processName: string): DealError {
  if (luaError.includes(NO_TABLE)) {
    const path = options.balances ?? 'Balances'
    return new DealError(`deal: ${processName} has no ${path} table.`, { details: 'Name another with the balances option, e.g. { balances: "State.Balances" }.' })
  }
  if (luaError.includes(NO_SUPPLY)) {
    return new DealError(`deal: ${processName} has no ${supplyPath(options)} to adjust (a string or number).`, { details: 'Name another with adjustSupply: "Path.To.Supply", or leave adjustSupply out.' })
  }
  return new DealError(`deal failed on ${processName}.`, { details: luaError })
}

/** A Lua long string that no `]=…=]` inside the text can close early. */
function luaString(text: string): string {
  let level = ''
  while (text.includes(`]${level}]`)) level += '='
  return `[${level}[${text}]${level}]`
}
