import { describe, expect, it } from 'vitest';
import { InflateSink } from './inflate-sink.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('InflateSink', () => {
  it('fills the announced buffer and hands it back whole', () => {
    const sink = new InflateSink(5);
    sink.push(bytes(1, 2));
    sink.push(bytes(3, 4, 5));
    expect(sink.take()).toEqual(bytes(1, 2, 3, 4, 5));
  });

  it('output shorter than announced is returned at its real length', () => {
    const sink = new InflateSink(100);
    sink.push(bytes(7, 8));
    expect(sink.take()).toEqual(bytes(7, 8));
  });

  it('output beyond the announced size (a lying trailer, several members) is kept in order', () => {
    const sink = new InflateSink(3);
    sink.push(bytes(1, 2));
    sink.push(bytes(3, 4));
    sink.push(bytes(5));
    expect(sink.take()).toEqual(bytes(1, 2, 3, 4, 5));
  });

  it('without an announced size it concatenates chunks; discard empties it', () => {
    const sink = new InflateSink(0);
    sink.push(bytes(1));
    sink.push(bytes(2, 3));
    expect(sink.take()).toEqual(bytes(1, 2, 3));
    sink.push(bytes(9));
    sink.discard();
    expect(sink.take()).toEqual(bytes());
  });
});
