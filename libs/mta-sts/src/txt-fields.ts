// Shared tokenizer for `v=<version>; key=value; ...` TXT records (RFC 8461 §3.1, RFC 8460 §3).

export interface TxtField {
  key: string;
  value: string;
}

export type TxtProblemKind = 'ascii' | 'version' | 'syntax';

export interface TxtProblem {
  kind: TxtProblemKind;
  detail: string;
  message: string;
}

export interface TxtSplit {
  fields: TxtField[];
  problems: TxtProblem[];
  /** `v=STSv1 ;`: grammatical, but fails the literal `v=STSv1;` prefix filter some senders apply. */
  spaceBeforeFirstSemicolon: boolean;
}

export const FIELD_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
/** `1*(%x21-3A / %x3C / %x3E-7E)`: printable ASCII without `;`, `=` and space. */
export const TXT_EXT_VALUE_RE = /^[\x21-\x3A\x3C\x3E-\x7E]+$/;

const WSP_EDGES_RE = /^[ \t]+|[ \t]+$/g;

/** Joins the strings of one multi-string TXT record with no separator (STS-TXT-8, RPT-TXT-1). */
export function joinTxtStrings(parts: string[]): string {
  return parts.join('');
}

export function splitTxtFields(txt: string, version: string): TxtSplit {
  const problems: TxtProblem[] = [];
  const nonAscii = txt.match(/[^\x20-\x7E\t]/);
  if (nonAscii) {
    problems.push({
      kind: 'ascii',
      detail: 'TXT_NOT_ASCII',
      message: `The record ${JSON.stringify(txt)} contains the character ${JSON.stringify(nonAscii[0])}, but only printable US-ASCII is allowed.`,
    });
  }
  const parts = txt.split(';');
  const head = parts[0];
  const spaceBeforeFirstSemicolon = parts.length > 1 && /[ \t]$/.test(head) && head.trimEnd() === `v=${version}`;
  if (head.replace(/[ \t]+$/, '') !== `v=${version}`) {
    problems.push({
      kind: 'version',
      detail: 'TXT_VERSION',
      message: `The record ${JSON.stringify(txt)} must start with exactly "v=${version}" (case-sensitive, no spaces around "="), but its first field is ${JSON.stringify(head.trim())}.`,
    });
  }
  const fields: TxtField[] = [];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i].replace(WSP_EDGES_RE, '');
    if (part === '') {
      if (i === parts.length - 1) continue; // at most one trailing ';'
      problems.push({
        kind: 'syntax',
        detail: 'TXT_EMPTY_FIELD',
        message: `The record ${JSON.stringify(txt)} has an empty field between two ";" (only one trailing ";" is allowed).`,
      });
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) {
      problems.push({
        kind: 'syntax',
        detail: 'TXT_FIELD_SYNTAX',
        message: `The field ${JSON.stringify(part)} in ${JSON.stringify(txt)} is not of the form key=value.`,
      });
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!FIELD_NAME_RE.test(key)) {
      problems.push({
        kind: 'syntax',
        detail: 'TXT_FIELD_NAME',
        message: `The field name ${JSON.stringify(key)} in ${JSON.stringify(txt)} is not valid (one letter or digit, then up to 31 letters, digits, "_", "-" or ".", with no spaces around "=").`,
      });
      continue;
    }
    fields.push({ key, value });
  }
  return { fields, problems, spaceBeforeFirstSemicolon };
}
