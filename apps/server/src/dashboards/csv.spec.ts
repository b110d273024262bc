import { describe, expect, it } from 'vitest';
import { csvField, csvLine, toCsv } from './csv.js';

describe('CSV encoding (RFC 4180)', () => {
  it('quotes fields holding a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('https://reporter.test/why,expired')).toBe('"https://reporter.test/why,expired"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });

  it('null and undefined are empty fields; numbers stay as they are, negatives included', () => {
    expect(csvLine([null, undefined, 0, 0.6, -3, 'x'])).toBe(',,0,0.6,-3,x\r\n');
  });

  it('a value a spreadsheet would run as a formula is prefixed with an apostrophe', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('toCsv writes the header then one CRLF-terminated line per row in column order', () => {
    expect(toCsv(['b', 'a'], [{ a: 1, b: 'x' }, { a: 2, b: null }])).toBe('b,a\r\nx,1\r\n,2\r\n');
  });
});
