import { describe, expect, it } from 'vitest';
import { LoomError, toLoomError } from './errors.js';

describe('LoomError', () => {
  it('carries code, location and hint into JSON and a one-line description', () => {
    const err = new LoomError('hl7.segment.missing', 'MSH segment is missing', {
      location: 'segment 1',
      hint: 'start the message with MSH',
    });
    expect(err.toJSON()).toEqual({
      code: 'hl7.segment.missing',
      message: 'MSH segment is missing',
      location: 'segment 1',
      hint: 'start the message with MSH',
    });
    expect(err.describe()).toBe('hl7.segment.missing at segment 1: MSH segment is missing (start the message with MSH)');
  });

  it('wraps foreign errors and keeps LoomErrors unchanged', () => {
    const original = new LoomError('x', 'y');
    expect(toLoomError(original)).toBe(original);
    const wrapped = toLoomError(new TypeError('boom'), 'store.write');
    expect(wrapped.code).toBe('store.write');
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBeInstanceOf(TypeError);
  });
});
