// The smallest useful browser app: a client, message, result and one signer (an Arweave keyfile / WebCrypto).
export { createClient, message, result } from '../../sdk/index.js'
export { arweaveSigner } from '../../sdk/signers/arweaveSigner.js'
