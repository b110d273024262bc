/** Registered result types by what they mean for a rollout (RPT-JSON-3). Unknown types are kept verbatim elsewhere. */
export const RESULT_TYPE_GROUPS = {
  negotiation: [
    'starttls-not-supported',
    'certificate-host-mismatch',
    'certificate-expired',
    'certificate-not-trusted',
    'validation-failure',
  ],
  dane: ['tlsa-invalid', 'dnssec-invalid', 'dane-required'],
  sts: ['sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid'],
} as const satisfies Record<string, readonly string[]>;

export type ResultTypeGroup = keyof typeof RESULT_TYPE_GROUPS;
export type KnownResultType = (typeof RESULT_TYPE_GROUPS)[ResultTypeGroup][number];

const GROUP_BY_TYPE: ReadonlyMap<string, ResultTypeGroup> = new Map(
  (Object.keys(RESULT_TYPE_GROUPS) as ResultTypeGroup[]).flatMap((group) =>
    RESULT_TYPE_GROUPS[group].map((type) => [type, group] as const),
  ),
);

/** Exact, case-sensitive match: `certificate_expired` or `Certificate-Expired` are unknown (RPT-JSON-3). */
export function resultTypeGroup(type: string): ResultTypeGroup | null {
  return GROUP_BY_TYPE.get(type) ?? null;
}

export function isKnownResultType(type: string): type is KnownResultType {
  return GROUP_BY_TYPE.has(type);
}

const KNOWN_RESULT_TYPES: ReadonlyMap<string, KnownResultType> = new Map([...GROUP_BY_TYPE.keys()].map((type) => [type, type as KnownResultType]));

/** The registered type as one shared string (a 75,000-row report then holds one copy, not one per row), or null. */
export function knownResultType(type: string): KnownResultType | null {
  return KNOWN_RESULT_TYPES.get(type) ?? null;
}

/** The result types that say our policy host or policy file is broken. */
export function isPolicyFetchResultType(type: string): boolean {
  return resultTypeGroup(type) === 'sts';
}

export const KNOWN_POLICY_TYPES = ['sts', 'tlsa', 'no-policy-found'] as const;
export type KnownPolicyType = (typeof KNOWN_POLICY_TYPES)[number];

export function isKnownPolicyType(type: string): type is KnownPolicyType {
  return (KNOWN_POLICY_TYPES as readonly string[]).includes(type);
}
