export * from './limits.js'
export { normalizeTags, type NormalizeTagsParameters, type NormalizeTagsReturnType } from './normalizeTags.js'
export {
  validateMessage,
  isArweaveId,
  type ValidateMessageParameters,
  type ValidateMessageReturnType,
} from './validateMessage.js'
