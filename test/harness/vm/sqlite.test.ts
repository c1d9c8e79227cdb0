// require('lsqlite3') in aos-sqlite processes: the lsqlite3 API, a database that is part of the process state
// (rollback, snapshots, forks, hibernation, images), 'now' pinned to the message, limits and the sandbox.
import { expect } from 'chai'
import { AoNetwork, createTestNetwork, SQLITE_MODULE, type TestNetwork } from '../../../harness/index.js'
import { setMaxLiveProcesses } from '../../../harness/vm/processVm.js'

/** A process with a notes table; Add inserts a row, Fail inserts then errors, Count and List reply. */
const NOTES = `
local sqlite3 = require('lsqlite3')
Db = Db or sqlite3.open_memory()
Db:exec([[CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at TEXT DEFAULT CURRENT_TIMESTAMP)]])
Added = Added or 0
local insert = Db:prepare('INSERT INTO notes (body) VALUES (?)')
local function add(body)
  insert:reset()
  insert:bind_values(body)
  if insert:step() ~= sqlite3.DONE then error(Db:errmsg()) end
  Added = Added + 1
end
Handlers.add('Add', 'Add', function(msg) add(msg.Data) msg.reply({ Data = tostring(Db:last_insert_rowid()) }) end)
Handlers.add('Fail', 'Fail', function(msg) add(msg.Data) error('refused after the insert') end)
Handlers.add('Count', 'Count', function(msg)
  for n in Db:urows('SELECT count(*) FROM notes') do msg.reply({ Data = tostring(n) }) end
end)
Handlers.add('List', 'List', function(msg)
  local bodies = {}
  for row in Db:nrows('SELECT body FROM notes ORDER BY id') do bodies[#bodies + 1] = row.body end
  msg.reply({ Data = table.concat(bodies, ',') })
end)
`

/** The Data of the reply a send got. */
function replyData(res: { result: { Messages?: { Data?: unknown }[] } }): unknown {
  return res.result.Messages?.[0]?.Data
}

async function notes(t: TestNetwork): Promise<string> {
  return t.spawn({ module: SQLITE_MODULE, source: NOTES })
}

/** Evaluates Lua in `process` and returns what it returned (as Output data), failing on an Error. */
async function lua(t: TestNetwork, process: string, code: string): Promise<unknown> {
  const res = await t.eval(process, code)
  if (res.result.Error !== undefined) throw new Error(String(res.result.Error))
  return (res.result.Output as { data?: unknown }).data
}

describe('lsqlite3: the API', () => {
  let t: TestNetwork
  let p: string
  before(async () => {
    t = createTestNetwork()
    p = await t.spawn({ module: SQLITE_MODULE })
    await lua(t, p, `sqlite3 = require('lsqlite3'); db = sqlite3.open_memory()
      db:exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB)")`)
  })

  it('has lsqlite3\'s status codes', async () => {
    expect(await lua(t, p, 'return table.concat({ sqlite3.OK, sqlite3.ERROR, sqlite3.BUSY, sqlite3.CONSTRAINT, sqlite3.MISMATCH, sqlite3.MISUSE, sqlite3.ROW, sqlite3.DONE }, ",")')).to.equal(
      '0,1,5,19,20,21,100,101',
    )
  })

  it('exec returns the status code, and calls back once per row with text values and column names', async () => {
    expect(await lua(t, p, `return db:exec("INSERT INTO t (name, score) VALUES ('a', 1.5), ('b', 2)")`)).to.equal('0')
    expect(await lua(t, p, `return db:exec("INSERT INTO missing VALUES (1)")`)).to.equal('1')
    expect(await lua(t, p, 'return db:errmsg()')).to.equal('no such table: missing')
    expect(await lua(t, p, 'return db:errcode()')).to.equal('1')
    const seen = await lua(t, p, `local out = {}
      local rc = db:exec("SELECT name, score FROM t ORDER BY id", function(udata, n, values, names)
        out[#out + 1] = udata .. n .. names[1] .. '=' .. values[1] .. ',' .. names[2] .. '=' .. values[2]
        return 0
      end, 'u')
      return rc .. ':' .. table.concat(out, ';')`)
    expect(seen).to.equal('0:u2name=a,score=1.5;u2name=b,score=2.0')
    expect(await lua(t, p, 'return db:exec("SELECT 1 UNION ALL SELECT 2", function() return 1 end)')).to.equal('4')
  })

  it('returns integers as integers, REAL as floats, NULL as nil and blobs as strings', async () => {
    const types = await lua(t, p, `local out = {}
      for a, b, c, d, e in db:urows("SELECT 9007199254740993, 2.0, NULL, x'00ff', 'text'") do
        out = { math.type(a), tostring(a), math.type(b), tostring(c), #d, d:byte(2), e }
      end
      return table.concat(out, ',')`)
    expect(types).to.equal('integer,9007199254740993,float,nil,2,255,text')
  })

  it('iterates rows as named tables (nrows), arrays (rows) and values (urows)', async () => {
    expect(await lua(t, p, `local out = {} for r in db:nrows("SELECT id, name FROM t ORDER BY id") do out[#out+1] = r.id .. r.name end return table.concat(out, ',')`)).to.equal('1a,2b')
    expect(await lua(t, p, `local out = {} for r in db:rows("SELECT id, name FROM t ORDER BY id") do out[#out+1] = r[1] .. r[2] end return table.concat(out, ',')`)).to.equal('1a,2b')
    expect(await lua(t, p, `local out = {} for id, name in db:urows("SELECT id, name FROM t ORDER BY id") do out[#out+1] = id .. name end return table.concat(out, ',')`)).to.equal('1a,2b')
  })

  it('iterates a prepared statement, which resets at the end so it can run again', async () => {
    const out = await lua(t, p, `local s = db:prepare("SELECT name FROM t WHERE id <= ? ORDER BY id") s:bind_values(2)
      local out = {}
      for r in s:nrows() do out[#out + 1] = r.name end
      for name in s:urows() do out[#out + 1] = name end
      s:finalize()
      return table.concat(out, ',')`)
    expect(out).to.equal('a,b,a,b')
  })

  it('frees the iterators a message left with break', async () => {
    const out = await lua(t, p, `for i = 1, 10001 do for r in db:nrows("SELECT 1 UNION ALL SELECT 2") do break end end return 'done'`)
    expect(out).to.equal('done')
    expect(await lua(t, p, `for i = 1, 10 do for r in db:nrows("SELECT 1 UNION ALL SELECT 2") do break end end return 'again'`)).to.equal('again')
  })

  it('raises the SQLite message when a row query does not compile', async () => {
    const res = await t.eval(p, `for r in db:nrows("SELEC 1") do end`)
    expect(res.result.Error).to.include('near "SELEC": syntax error')
  })

  it('prepares, binds by position, name and index, steps, reads, resets and finalizes', async () => {
    const out = await lua(t, p, `
      local s = db:prepare("INSERT INTO t (name, score, data) VALUES (?, ?, ?)")
      local r1 = s:bind_values('c', 3.25, nil)
      local r2 = s:step()
      s:reset()
      s:bind(1, 'd') s:bind(2, 4) s:bind(3, true)
      local r3 = s:step()
      local r4 = s:finalize()
      local q = db:prepare("SELECT id, name, score FROM t WHERE name = :name OR id = @id")
      q:bind_names({ name = 'c', id = 4 })
      local rows = {}
      while q:step() == sqlite3.ROW do
        local named = q:get_named_values()
        local values = q:get_values()
        rows[#rows + 1] = named.name .. values[1] .. q:get_value(2) .. q:get_name(1)
      end
      q:finalize()
      return table.concat({ r1, r2, r3, r4, db:last_insert_rowid(), db:changes(), table.concat(rows, ';') }, ',')`)
    expect(out).to.equal('0,101,101,0,4,1,c33.25name;d44.0name')
  })

  it('returns nil and the error code when prepare fails, and counts changes', async () => {
    expect(await lua(t, p, 'local s, code = db:prepare("SELECT * FROM nowhere") return tostring(s) .. "," .. code')).to.equal('nil,1')
    expect(await lua(t, p, 'local before = db:total_changes() db:exec("UPDATE t SET score = 0") return db:changes() .. "," .. (db:total_changes() - before)')).to.equal('4,4')
  })

  it('reports a constraint violation with CONSTRAINT from step and its message from errmsg', async () => {
    expect(await lua(t, p, `local s = db:prepare("INSERT INTO t (name) VALUES ('a')") local rc = s:step() s:finalize() return rc .. ":" .. db:errmsg()`)).to.equal(
      '19:UNIQUE constraint failed: t.name',
    )
  })

  it('raises an error when bind_values gets the wrong number of values', async () => {
    const res = await t.eval(p, `db:prepare("SELECT ?, ?"):bind_values(1)`)
    expect(res.result.Error).to.include('incorrect number of parameters to bind (1 given, 2 to bind)')
  })

  it('closes a database: isopen turns false and using it raises', async () => {
    expect(await lua(t, p, 'local d = sqlite3.open_memory() local a = d:isopen() local rc = d:close() return tostring(a) .. rc .. tostring(d:isopen())')).to.equal('true0false')
    const res = await t.eval(p, 'local d = sqlite3.open("notes.db") d:close() d:exec("SELECT 1")')
    expect(res.result.Error).to.include('attempt to use closed sqlite database')
  })

  it('keeps a prepared statement usable in later messages', async () => {
    await lua(t, p, `Count = db:prepare("SELECT count(*) FROM t")`)
    expect(await lua(t, p, 'Count:reset() Count:step() return Count:get_value(0)')).to.equal('4')
    await t.eval(p, 'error("a failing message rolls the process back")')
    expect(await lua(t, p, 'Count:reset() Count:step() return Count:get_value(0)')).to.equal('4')
  })
})

describe('lsqlite3: which processes have it', () => {
  it('is not found in a process of the plain aos module, as on AO', async () => {
    const t = createTestNetwork()
    const p = await t.spawn({})
    const res = await t.eval(p, `return require('lsqlite3')`)
    expect(res.result.Error).to.include("module 'lsqlite3' not found")
  })
})

describe('lsqlite3: time and randomness come from the message', () => {
  it("gives the message's Timestamp for every form of 'now'", async () => {
    const t = createTestNetwork()
    const p = await t.spawn({ module: SQLITE_MODULE })
    await t.setTime(Date.UTC(2025, 5, 15, 12, 30, 45, 250))
    const out = await lua(t, p, `local db = require('lsqlite3').open_memory()
      db:exec("CREATE TABLE e (x, at DEFAULT CURRENT_TIMESTAMP)") db:exec("INSERT INTO e (x) VALUES (1)")
      local out = {}
      for a, b, c, d, e, f, g, h, i in db:urows([[SELECT date('now'), datetime('now'), time('NOW'), julianday('now'), unixepoch(),
        strftime('%Y-%m-%dT%H:%M:%f', 'now'), CURRENT_TIMESTAMP, CURRENT_DATE || ' ' || CURRENT_TIME, (SELECT at FROM e)]]) do
        out = { a, b, c, d, e, f, g, h, i }
      end
      return table.concat(out, '|')`)
    expect(out).to.equal(
      '2025-06-15|2025-06-15 12:30:45|12:30:45|2460842.0213571|1749990645|2025-06-15T12:30:45.250|2025-06-15 12:30:45|2025-06-15 12:30:45|2025-06-15 12:30:45',
    )
  })

  it('keeps date functions of explicit times as SQLite computes them', async () => {
    const t = createTestNetwork()
    const p = await t.spawn({ module: SQLITE_MODULE })
    expect(await lua(t, p, `for d in require('lsqlite3').open_memory():urows("SELECT date('2024-02-28', '+1 day')") do return d end`)).to.equal('2024-02-29')
  })

  it('seeds random() and randomblob() from the message: the same on every run, new for each message', async () => {
    const draw = async () => {
      const t = createTestNetwork()
      const p = await t.spawn({ module: SQLITE_MODULE })
      const code = `local out = {} for a, b, c in require('lsqlite3').open_memory():urows("SELECT random(), random(), hex(randomblob(4))") do out = { a, b, c } end return table.concat(out, ',')`
      return [await lua(t, p, code), await lua(t, p, code)]
    }
    const [first, second] = await draw()
    expect(await draw()).to.deep.equal([first, second])
    expect(first).to.not.equal(second)
    expect(String(first)).to.match(/^-?\d+,-?\d+,[0-9A-F]{8}$/)
  })
})

describe('lsqlite3: the database is part of the process state', () => {
  it('rolls back the rows and the Lua state of a message that fails', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const p = await notes(t)
    await t.send(alice, p, 'Add', {}, 'one')
    const failed = await t.send(alice, p, 'Fail', {}, 'two')
    expect(failed.result.Error).to.include('refused after the insert')
    expect(replyData(await t.send(alice, p, 'List'))).to.equal('one')
    expect(await t.read(p, 'Added')).to.equal(1)
    expect(replyData(await t.send(alice, p, 'Add', {}, 'three'))).to.equal('2')
  })

  it('rolls back across the periodic checkpoint (more than 64 kept messages)', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const p = await notes(t)
    for (let i = 0; i < 70; i++) await t.send(alice, p, 'Add', {}, `n${i}`)
    await t.send(alice, p, 'Fail', {}, 'x')
    expect(replyData(await t.send(alice, p, 'Count'))).to.equal('70')
  })

  it('reverts to a snapshot, and leaves no trace of a dry-run', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const p = await notes(t)
    await t.send(alice, p, 'Add', {}, 'kept')
    const snap = t.snapshot()
    await t.send(alice, p, 'Add', {}, 'dropped')
    t.revert(snap)
    expect(replyData(await t.send(alice, p, 'List'))).to.equal('kept')
    await t.dryrun(alice, p, 'Add', {}, 'dry')
    expect(replyData(await t.send(alice, p, 'List'))).to.equal('kept')
  })

  it('copies the database into a fork, which then goes its own way', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const p = await notes(t)
    await t.send(alice, p, 'Add', {}, 'shared')
    const fork = await t.fork(p)
    await t.send(alice, fork, 'Add', {}, 'fork only')
    await t.send(alice, p, 'Add', {}, 'source only')
    expect(replyData(await t.send(alice, fork, 'List'))).to.equal('shared,fork only')
    expect(replyData(await t.send(alice, p, 'List'))).to.equal('shared,source only')
  })

  describe('hibernation', () => {
    before(() => setMaxLiveProcesses(1))
    after(() => setMaxLiveProcesses(256))

    it('keeps each database while its process sleeps and wakes', async () => {
      const t = createTestNetwork()
      const alice = t.wallet('alice')
      const ids = [await notes(t), await notes(t), await notes(t)]
      for (let round = 0; round < 2; round++) for (const [i, id] of ids.entries()) await t.send(alice, id, 'Add', {}, `p${i}r${round}`)
      for (const [i, id] of ids.entries()) expect(replyData(await t.send(alice, id, 'List'))).to.equal(`p${i}r0,p${i}r1`)
    })
  })

  it('carries the database in the network image (what the devnet stores)', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const p = await notes(t)
    await t.send(alice, p, 'Add', {}, 'before the image')
    const image = structuredClone(await t.net.exportImage())
    const restored = await AoNetwork.fromImage(image)
    const add = await restored.send({ from: alice, to: p, tags: { Action: 'Add' }, data: 'after' })
    expect(add.result.Error).to.equal(undefined)
    const list = await restored.send({ from: alice, to: p, tags: { Action: 'List' } })
    expect(list.result.Messages?.[0]?.Data).to.equal('before the image,after')
  })
})

describe('lsqlite3: limits', () => {
  it('stops a runaway query at the SQLite compute limit, fails the message and rolls it back', async () => {
    const t = createTestNetwork({ vm: { sqlite: { computeLimit: 50_000_000 } } })
    const alice = t.wallet('alice')
    const p = await notes(t)
    await t.send(alice, p, 'Add', {}, 'safe')
    const res = await t.eval(p, `Db:exec("INSERT INTO notes (body) VALUES ('lost')")
      pcall(function() for n in Db:urows("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c") do end end)`)
    expect(res.result.Error).to.include('SQLite compute limit exceeded')
    expect(res.result.Error).to.include('50000000 gas')
    expect(replyData(await t.send(alice, p, 'List'))).to.equal('safe')
  })

  it('refuses to grow a database past maxDbSize, naming the limit', async () => {
    const t = createTestNetwork({ vm: { sqlite: { maxDbSize: 256 * 1024 } } })
    const p = await t.spawn({ module: SQLITE_MODULE })
    const out = await lua(t, p, `local db = require('lsqlite3').open_memory()
      db:exec("CREATE TABLE big (b BLOB)")
      local rc = db:exec("INSERT INTO big VALUES (randomblob(1000000))")
      return rc .. ':' .. db:errmsg()`)
    expect(out).to.equal("13:database or disk is full (a process's database is limited to maxDbSize = 262144 bytes)")
  })
})

describe('lsqlite3: more limits', () => {
  it('fails a query past maxMemory with SQLITE_NOMEM, naming the limit', async () => {
    const t = createTestNetwork({ vm: { sqlite: { maxMemory: 16 * 1024 * 1024 } } })
    const p = await t.spawn({ module: SQLITE_MODULE })
    const out = await lua(t, p, `local db = require('lsqlite3').open_memory()
      local rc = db:exec("SELECT length(hex(zeroblob(20000000)))")
      return rc .. ':' .. db:errmsg()`)
    expect(out).to.equal("7:out of memory (SQLite's heap is limited to maxMemory = 16777216 bytes)")
  })

  it('caps the statements a process holds open', async () => {
    const t = createTestNetwork()
    const p = await t.spawn({ module: SQLITE_MODULE })
    const res = await t.eval(p, `local db = require('lsqlite3').open_memory() Kept = {} for i = 1, 10001 do Kept[i] = db:prepare("SELECT 1") end`)
    expect(res.result.Error).to.include('too many open statements (the limit is 10,000)')
  })

  it('fails a message that leaves a transaction open, and rolls it back', async () => {
    const t = createTestNetwork()
    const p = await t.spawn({ module: SQLITE_MODULE })
    await lua(t, p, `db = require('lsqlite3').open_memory() db:exec("CREATE TABLE a (x)")`)
    const res = await t.eval(p, `db:exec("BEGIN; INSERT INTO a VALUES (1)")`)
    expect(res.result.Error).to.include('the message left a transaction open on database 1')
    expect(await lua(t, p, `db:exec("BEGIN; INSERT INTO a VALUES (2); COMMIT") for n in db:urows("SELECT group_concat(x) FROM a") do return n end`)).to.equal('2')
  })
})

describe('lsqlite3: the sandbox', () => {
  let t: TestNetwork
  let p: string
  before(async () => {
    t = createTestNetwork()
    p = await t.spawn({ module: SQLITE_MODULE })
    await lua(t, p, `db = require('lsqlite3').open_memory()`)
  })

  it('refuses ATTACH to a file path', async () => {
    expect(await lua(t, p, `return db:exec("ATTACH DATABASE '/tmp/aokit-escape.db' AS outside") .. ':' .. db:errmsg()`)).to.equal(
      '23:not authorized: ATTACH is refused: a process database cannot reach files or other databases',
    )
  })

  it('refuses VACUUM INTO, size pragmas and load_extension', async () => {
    expect(await lua(t, p, `return db:exec("VACUUM INTO '/tmp/aokit-copy.db'")`)).to.equal('23')
    expect(await lua(t, p, `return db:exec("PRAGMA max_page_count = 1000000000")`)).to.equal('23')
    expect(await lua(t, p, `return db:exec("SELECT load_extension('libc')")`)).to.equal('23')
  })

  it("lets the words appear inside string literals", async () => {
    expect(await lua(t, p, `for s in db:urows("SELECT 'attach me'") do return s end`)).to.equal('attach me')
  })
})
