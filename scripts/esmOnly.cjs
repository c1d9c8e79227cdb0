// What `require('aokit')` (or any aokit entry) loads from CommonJS: aokit ships ES modules only.
const error = new Error(
  "aokit is an ES module package and cannot be loaded with require(). Use `import { createClient } from 'aokit'` " +
    "(set \"type\": \"module\" or use .mjs), or `const aokit = await import('aokit')` from CommonJS.",
)
error.name = 'AokitEsmOnlyError'
error.code = 'ERR_AOKIT_ESM_ONLY'
throw error
