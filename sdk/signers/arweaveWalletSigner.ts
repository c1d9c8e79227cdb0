import type { Tag } from '../types.js'

/** What `window.arweaveWallet.signDataItem` takes (Wander / ArConnect API). */
export type ArweaveWalletSignDataItemParameters = {
  data: string | Uint8Array
  tags?: Tag[]
  target?: string
  anchor?: string
}

/** The part of `window.arweaveWallet` aokit uses. */
export type ArweaveWalletLike = {
  signDataItem(item: ArweaveWalletSignDataItemParameters): Promise<ArrayBuffer | Uint8Array>
}

/**
 * A signer that cannot sign raw bytes, only whole data items: the extension builds and signs the item and
 * returns its bytes. `createDataItem` recognises it by `signDataItem` and parses what comes back.
 */
export type ArweaveWalletDataItemSigner = {
  kind: 'arweaveWallet'
  signDataItem(item: { target?: string; anchor?: string; tags: Tag[]; data: Uint8Array }): Promise<Uint8Array>
}
export type ArweaveWalletSignerParameters = ArweaveWalletLike
export type ArweaveWalletSignerReturnType = ArweaveWalletDataItemSigner

/** Signs through a browser extension (`window.arweaveWallet`): pass the result to `createDataItem`. */
export function arweaveWalletSigner(wallet: ArweaveWalletSignerParameters): ArweaveWalletSignerReturnType {
  return {
    kind: 'arweaveWallet',
    async signDataItem({ target, anchor, tags, data }) {
      const signed = await wallet.signDataItem({
        data,
        tags,
        ...(target !== undefined ? { target } : {}),
        ...(anchor !== undefined ? { anchor } : {}),
      })
      return signed instanceof Uint8Array ? signed : new Uint8Array(signed)
    },
  }
}
