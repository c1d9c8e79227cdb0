// The example dApp (examples/dapp) in real headless Chromium against a devnet: the page's wallet is a stub
// window.ethereum whose personal_sign is answered by an ethers Wallet in Node.
import { expect } from 'chai'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getBytes, id, parseUnits, Wallet } from 'ethers'
import { chromium, type Browser, type Page } from 'playwright-core'
import { buildDapp, serveDapp } from '../../examples/dapp/build.js'
import { deployToken, fund } from '../../examples/dapp/deploy.js'
import { createClient, ethereumSigner, legacy, token } from '../../sdk/index.js'
import { loopbackFetch, removeDataDir, startTestDevnet, type TestDevnet } from '../harness/server/support.js'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// Fixed keys (keccak256 of a name): the deployer, the page's wallet, and a recipient.
const deployer = new Wallet(id('aokit dapp test: deployer'))
const user = new Wallet(id('aokit dapp test: user'))
const bob = new Wallet(id('aokit dapp test: bob'))

describe('examples/dapp: token wallet page in Chromium', function () {
  let devnet: TestDevnet
  let site: { url: string; close(): Promise<void> }
  let browser: Browser
  let page: Page
  let tokenPid: string
  let denomination: number
  let outDir: string
  const units = (n: string) => parseUnits(n, denomination)

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Chromium (apt-get install -y chromium) to run the dApp test.`)
    devnet = await startTestDevnet()
    const client = createClient({ transport: legacy({ muUrl: devnet.muUrl, cuUrl: devnet.cuUrl, fetch: loopbackFetch }), signer: ethereumSigner(deployer) })
    tokenPid = await deployToken(client, { scheduler: devnet.scheduler })
    denomination = (await token(client, tokenPid).info()).denomination ?? 0
    await fund(client, tokenPid, user.address, units('1000'))

    outDir = mkdtempSync(join(tmpdir(), 'aokit-dapp-'))
    await buildDapp(outDir)
    site = await serveDapp(outDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    page = await browser.newPage()
    // Everything the page loads must stay on this machine.
    await page.route('**/*', (route) => (/^https?:\/\/127\.0\.0\.1[:/]/.test(route.request().url()) ? route.continue() : route.abort()))
    await page.exposeFunction('walletSign', (hex: string) => user.signMessage(getBytes(hex)))
    await page.addInitScript((address: string) => {
      const sign = (window as unknown as { walletSign(hex: string): Promise<string> }).walletSign
      ;(window as unknown as { ethereum: unknown }).ethereum = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [address]
          if (method === 'personal_sign') return sign(String(params![0]))
          throw new Error(`stub wallet: ${method} is not supported`)
        },
      }
    }, user.address)
    await page.goto(`${site.url}?devnet=${encodeURIComponent(devnet.url)}&token=${tokenPid}`)
    await page.getByTestId('connect').click()
    await settled()
  })

  after(async () => {
    await browser?.close()
    await site?.close()
    if (devnet) {
      await devnet.close()
      removeDataDir(devnet.dataDir)
    }
    if (outDir) rmSync(outDir, { recursive: true, force: true })
  })

  it('shows the connected address and its balance', async () => {
    expect(await text('error')).to.equal('')
    expect(await text('address')).to.equal(user.address)
    expect(await text('balance')).to.equal('1000.0')
    expect(await text('ticker')).to.equal('PNTS')
  })

  it('sends a Transfer through the form and shows the new balance', async () => {
    await transferOnPage(bob.address, '250')
    expect(await text('error')).to.equal('')
    expect(await text('status')).to.match(/^Sent [A-Za-z0-9_-]{43}$/)
    expect(await text('balance')).to.equal('750.0')
    expect(await balanceOnDevnet(user.address)).to.equal(units('750'))
    expect(await balanceOnDevnet(bob.address)).to.equal(units('250'))
  })

  it('shows a Transfer-Error when the quantity is over the balance, and nothing moves', async () => {
    const before = { user: await balanceOnDevnet(user.address), bob: await balanceOnDevnet(bob.address), shown: await text('balance') }
    await transferOnPage(bob.address, '5000')
    expect(await text('error')).to.equal('Transfer failed: Transfer-Error (Insufficient Balance!).')
    expect(await text('status')).to.equal('')
    expect(await text('balance')).to.equal(before.shown)
    expect(await balanceOnDevnet(user.address)).to.equal(before.user)
    expect(await balanceOnDevnet(bob.address)).to.equal(before.bob)
  })

  async function transferOnPage(recipient: string, quantity: string): Promise<void> {
    await page.getByTestId('recipient').fill(recipient)
    await page.getByTestId('quantity').fill(quantity)
    await page.getByTestId('send').click()
    await settled()
  }

  /** Waits until the page has finished its current action (main[data-state] leaves 'busy'). */
  async function settled(): Promise<void> {
    await page.waitForSelector('main:not([data-state="busy"])', { timeout: 30_000 })
  }

  function text(testId: string): Promise<string> {
    return page.getByTestId(testId).innerText()
  }

  function balanceOnDevnet(account: string): Promise<bigint> {
    const reader = createClient({ transport: legacy({ muUrl: devnet.muUrl, cuUrl: devnet.cuUrl, fetch: loopbackFetch }) })
    return token(reader, tokenPid).balance({ account })
  }
})
