import { describe, expect, it } from 'vitest';
import { parentsUpToRegistrable } from './parent-record.js';

describe('parentsUpToRegistrable (CHK-15)', () => {
  it('lists the parents up to the registrable domain, nearest first', () => {
    expect(parentsUpToRegistrable('a.b.example.com')).toEqual(['b.example.com', 'example.com']);
    expect(parentsUpToRegistrable('mail.example.co.uk')).toEqual(['example.co.uk']);
  });
  it('has none for a registrable domain itself', () => {
    expect(parentsUpToRegistrable('example.com')).toEqual([]);
  });
});
