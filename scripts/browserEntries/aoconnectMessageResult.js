// aoconnect's equivalent of sendAndResult.ts, bundled with the same esbuild settings for the size comparison
// (plain JS: aoconnect ships no types for its ./browser export).
export { createDataItemSigner, message, result } from '@permaweb/aoconnect/browser'
