export * from './arweaveSigner.js'
export * from './ethereumSigner.js'
export * from './injectedEthereumSigner.js'
export * from './arweaveWalletSigner.js'
