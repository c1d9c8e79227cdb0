// A token wallet page: connects window.ethereum, shows the account's balance of an AO token and sends Transfers
// through a devnet's legacy MU/CU. Config comes from the URL: ?devnet=http://127.0.0.1:4000&token=<process id>.
import { formatUnits, parseUnits } from 'ethers'
import { AokitError, ContractActionError, createClient, injectedEthereumSigner, legacy, token, type Eip1193Provider } from '../../../sdk/index.js'

declare global {
  interface Window {
    ethereum?: Eip1193Provider
  }
}

type Token = ReturnType<typeof token>
/** `idle` before connecting, `busy` while a request is out, `ready` when the page shows fresh values. */
type State = 'idle' | 'busy' | 'ready'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const app = $<HTMLElement>('app')
const form = $<HTMLFormElement>('transfer')
const sendButton = $<HTMLButtonElement>('send')
const connectButton = $<HTMLButtonElement>('connect')

const params = new URLSearchParams(location.search)
const devnetUrl = (params.get('devnet') ?? 'http://127.0.0.1:4000').replace(/\/+$/, '')
const tokenId = params.get('token')

let connected: { token: Token; address: string; denomination: number } | undefined

function setState(state: State): void {
  app.dataset.state = state
  sendButton.disabled = state !== 'ready'
  connectButton.disabled = state === 'busy'
}

function showError(error: unknown): void {
  // ContractActionError reads "Transfer failed: Transfer-Error (Insufficient Balance!)."; others get their name.
  const text = error instanceof ContractActionError ? error.message
    : error instanceof AokitError ? `${error.name}: ${error.message}`
    : error instanceof Error ? error.message : String(error)
  $('error').textContent = text
}

async function refreshBalance(): Promise<void> {
  const { token: t, address, denomination } = connected!
  $('balance').textContent = formatUnits(await t.balance({ account: address }), denomination)
}

async function connect(): Promise<void> {
  if (!window.ethereum) throw new Error('No wallet found: install one that injects window.ethereum (e.g. MetaMask).')
  const signer = await injectedEthereumSigner(window.ethereum)
  const client = createClient({ transport: legacy({ muUrl: `${devnetUrl}/mu`, cuUrl: `${devnetUrl}/cu` }), signer })
  const t = token(client, tokenId!)
  const info = await t.info()
  connected = { token: t, address: signer.address, denomination: info.denomination ?? 0 }
  connectButton.hidden = true
  $('address').textContent = signer.address
  $('token').textContent = info.name ? `${info.name} (${tokenId})` : tokenId!
  $('ticker').textContent = info.ticker ?? ''
  await refreshBalance()
}

async function transfer(): Promise<void> {
  const { token: t, denomination } = connected!
  const recipient = $<HTMLInputElement>('recipient').value.trim()
  const quantity = parseUnits($<HTMLInputElement>('quantity').value.trim(), denomination)
  $('status').textContent = 'Sending…'
  // Sends the Transfer and waits for its result; a Transfer-Error reply throws ContractActionError.
  const id = await t.transfer({ recipient, quantity })
  $('status').textContent = `Sent ${id}`
  await refreshBalance()
}

/** Runs one user action: the page is busy meanwhile, and an error lands in #error instead of the console. */
async function run(action: () => Promise<void>): Promise<void> {
  setState('busy')
  $('error').textContent = ''
  try {
    await action()
  } catch (error) {
    $('status').textContent = ''
    showError(error)
  } finally {
    setState(connected ? 'ready' : 'idle')
  }
}

$('config').textContent = `Devnet ${devnetUrl}`
if (!tokenId) {
  connectButton.disabled = true
  showError(new Error('Open this page with ?token=<token process id> (and ?devnet=<devnet URL> if not on port 4000).'))
} else {
  connectButton.addEventListener('click', () => void run(connect))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void run(transfer)
  })
}
