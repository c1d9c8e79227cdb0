// Loaded with `node --import` before a README block that runs "in a browser": stands in for the two wallet
// extensions a dApp meets, `window.ethereum` (EIP-1193) and `window.arweaveWallet`, backed by the keys the block's
// folder holds (ETH_KEY and wallet.json), so the block runs as written.
import { readFileSync } from 'node:fs'
import { ArweaveSigner, createData } from '@dha-team/arbundles'
import { Wallet, getBytes } from 'ethers'

const ethereum = new Wallet(process.env.ETH_KEY ?? '')
const arweave = new ArweaveSigner(JSON.parse(readFileSync('wallet.json', 'utf8')))

const stubEthereum = {
  async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
    if (method === 'eth_requestAccounts') return [ethereum.address.toLowerCase()]
    if (method === 'personal_sign') return ethereum.signMessage(getBytes((params as [string])[0]))
    throw new Error(`window.ethereum stand-in: unexpected ${method}`)
  },
}

const stubArweaveWallet = {
  async signDataItem(item: { data: string | Uint8Array; tags?: { name: string; value: string }[]; target?: string; anchor?: string }) {
    const signed = createData(item.data, arweave, { tags: item.tags, target: item.target, anchor: item.anchor })
    await signed.sign(arweave)
    return Uint8Array.from(signed.getRaw()).buffer
  },
}

Object.assign(globalThis, { window: { ethereum: stubEthereum, arweaveWallet: stubArweaveWallet } })
