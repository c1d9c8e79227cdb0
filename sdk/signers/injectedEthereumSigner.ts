import { getAddress, getBytes, hashMessage, hexlify, SigningKey, toUtf8Bytes } from 'ethers'
import { SignerError } from '../errors.js'
import type { Signer } from '../types.js'
import { publicKeyToEthereumAddress } from './ethereumSigner.js'

/** The part of an EIP-1193 provider (MetaMask's `window.ethereum`, …) aokit uses. */
export type Eip1193Provider = {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>
}
export type InjectedEthereumSignerParameters = Eip1193Provider
export type InjectedEthereumSignerReturnType = Promise<Signer>

/** The message arbundles' InjectedEthereumSigner signs to learn the public key; kept so wallets show the same prompt. */
export const PUBLIC_KEY_MESSAGE = 'sign this message to connect to Bundlr.Network'

/**
 * Signs through a browser wallet (EIP-1193): ANS-104 type 3. Providers do not expose public keys, so the key is
 * recovered once from a `personal_sign` over `PUBLIC_KEY_MESSAGE` (as arbundles does) and checked against the
 * connected account. Each data item then costs one `personal_sign` over the 48 deep-hash bytes.
 *
 * @throws {SignerError} no account, or the recovered key does not belong to the connected account.
 */
export async function injectedEthereumSigner(
  provider: InjectedEthereumSignerParameters,
): InjectedEthereumSignerReturnType {
  const accounts = await provider.request({ method: 'eth_requestAccounts' })
  if (!Array.isArray(accounts) || typeof accounts[0] !== 'string') {
    throw new SignerError({ provider: 'no-account' })
  }
  const account = getAddress(accounts[0])
  const personalSign = async (message: Uint8Array): Promise<Uint8Array> => {
    // personal_sign takes hex data then the account; the wallet applies the EIP-191 prefix.
    const signature = await provider.request({ method: 'personal_sign', params: [hexlify(message), account] })
    if (typeof signature !== 'string') throw new SignerError({ provider: 'signature-not-string' })
    const bytes = getBytes(signature)
    if (bytes.byteLength !== 65) throw new SignerError({ signatureBytes: bytes.byteLength, expected: 65 })
    return bytes
  }

  const probe = toUtf8Bytes(PUBLIC_KEY_MESSAGE)
  const publicKey = getBytes(SigningKey.recoverPublicKey(hashMessage(probe), hexlify(await personalSign(probe))))
  const address = publicKeyToEthereumAddress(publicKey)
  if (address !== account) {
    throw new SignerError({ recoveredAddress: address, account })
  }
  return { type: 3, publicKey, address, sign: personalSign }
}
