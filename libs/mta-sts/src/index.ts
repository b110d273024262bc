export * from './types.js';
export { parseStsTxt, selectStsTxt, serializeStsTxt } from './sts-txt-parser.js';
export { parsePolicy, parsePolicyLines, MAX_AGE_LIMIT, POLICY_MAX_BYTES } from './policy-parser.js';
export { policiesEqual, serializePolicy } from './policy-serializer.js';
export { isValidMxPattern, mxCovered, mxMatches } from './mx-pattern.js';
export { isValidPolicyId, newPolicyId } from './policy-id.js';
export { parseTlsRptTxt, selectTlsRptTxt, serializeTlsRptTxt } from './tlsrpt-txt-parser.js';
export { joinTxtStrings } from './txt-fields.js';
export {
  certNameMatches,
  checkPolicyResponse,
  contentTypeProblem,
  POLICY_CONTENT_TYPE,
  POLICY_FETCH_TIMEOUT_MS,
  policyHost,
  policyUrl,
  type PolicyResponse,
} from './policy-response.js';
export { quoteTxt, stsRecordName, TLSRPT_MIN_TTL, tlsRptRecordName } from './zone-snippet.js';
export {
  DEFAULT_TXT_TTL,
  generateRecords,
  ROLLOUT_STAGES,
  STAGE_MAX_AGE,
  type GenerateInput,
  type GeneratedRecords,
  type GenerateResult,
  type RolloutStage,
} from './record-generator.js';
