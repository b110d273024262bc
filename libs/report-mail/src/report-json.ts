/**
 * A report's JSON as decoded from its container: valid UTF-8 bytes, without a byte order mark. The text is made only
 * when something asks for it: a large report is parsed from the bytes in pieces (`parseReportBytes`), because one
 * string of a megabyte or more costs V8 a fresh memory mapping, more than parsing it does.
 */
export class ReportJson {
  private decoded: string | undefined;

  constructor(readonly bytes: Uint8Array) {}

  get text(): string {
    return (this.decoded ??= utf8.decode(this.bytes));
  }
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
