// Measurement 5: the SDK's signed data items per second with the Arweave (RSA-PSS 4096) and Ethereum (secp256k1)
// signers, against arbundles (what aoconnect signs with) on the same message; browser bundle sizes from
// scripts/buildBrowser.ts.
import { ArweaveSigner, EthereumSigner, createData } from '@dha-team/arbundles'
import { generateKeyPairSync } from 'node:crypto'
import { aoconnectBrowserSize, buildBrowserBundle, SEND_AND_RESULT_ENTRY } from '../scripts/buildBrowser.js'
import { createDataItem } from '../sdk/dataItem/createDataItem.js'
import { arweaveSigner, type ArweaveJwk } from '../sdk/signers/arweaveSigner.js'
import { ethereumSigner } from '../sdk/signers/ethereumSigner.js'
import { perSecond } from './stats.js'
import { fakeId } from './workload.js'

/** A fixed secp256k1 key (the one the SDK tests use). */
const ETH_PRIVATE_KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
const TARGET = fakeId('bench:token')
const TAGS = { Action: 'Transfer', Recipient: fakeId('bench:recipient'), Quantity: '100' }

export type SignRate = { items: number; ms: number; perSecond: number }
export type SdkResult = {
  arweave: { aokit: SignRate; arbundles: SignRate }
  ethereum: { aokit: SignRate; arbundles: SignRate }
  bundle: { aokitSendResult: { rawBytes: number; gzipBytes: number }; aoconnect: { rawBytes: number; gzipBytes: number; path: string } }
}

async function rate(count: number, warmup: number, sign: (i: number) => Promise<unknown>): Promise<SignRate> {
  for (let i = 0; i < warmup; i++) await sign(i)
  const start = performance.now()
  for (let i = 0; i < count; i++) await sign(i)
  const ms = performance.now() - start
  return { items: count, ms, perSecond: perSecond(count, ms) }
}

/** An RSA-4096 key as an Arweave keyfile (a key cannot be seeded; the signing speed does not depend on it). */
function arweaveJwk(): ArweaveJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096, publicExponent: 65537 })
  return privateKey.export({ format: 'jwk' }) as ArweaveJwk
}

export async function runSdk(counts: { arweave: number; ethereum: number; warmup: number }): Promise<SdkResult> {
  const jwk = arweaveJwk()
  const ours = arweaveSigner(jwk)
  const theirs = new ArweaveSigner(jwk as never)
  const arTags = Object.entries(TAGS).map(([name, value]) => ({ name, value }))
  const aokitItem = (signer: Parameters<typeof createDataItem>[0]['signer']) => (i: number) => createDataItem({ signer, target: TARGET, tags: TAGS, data: `transfer ${i}` })
  const arbundlesItem = (signer: ArweaveSigner | EthereumSigner) => async (i: number) => {
    const item = createData(`transfer ${i}`, signer, { target: TARGET, tags: arTags })
    await item.sign(signer)
    return item
  }
  const arweave = {
    aokit: await rate(counts.arweave, counts.warmup, aokitItem(ours)),
    arbundles: await rate(counts.arweave, counts.warmup, arbundlesItem(theirs)),
  }
  const ethereum = {
    aokit: await rate(counts.ethereum, counts.warmup, aokitItem(ethereumSigner(ETH_PRIVATE_KEY))),
    arbundles: await rate(counts.ethereum, counts.warmup, arbundlesItem(new EthereumSigner(ETH_PRIVATE_KEY))),
  }
  const minimal = await buildBrowserBundle({ entry: SEND_AND_RESULT_ENTRY, write: false })
  const ao = aoconnectBrowserSize()
  return {
    arweave,
    ethereum,
    bundle: { aokitSendResult: { rawBytes: minimal.rawBytes, gzipBytes: minimal.gzipBytes }, aoconnect: ao },
  }
}
