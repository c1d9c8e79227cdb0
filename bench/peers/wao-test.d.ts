// wao ships no types for its `wao/test` entry; the worker uses AO (in-memory AO) and acc (test wallets).
declare module 'wao/test' {
  export const AO: new (options?: object) => { init(jwk: unknown): Promise<any> }
  export const acc: { jwk: unknown }[]
}
