// Every errors.ts class survives encode → structured clone → decode with its class, code, details and exit code;
// a class added to errors.ts without a codec entry (or a sample here) fails the first test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitCodeFor } from '../../cli/exit-codes.ts';
import { ContractError } from '../../../preload/contract.ts';
import { InputError, PanForgeError } from '../errors.ts';
import * as errors from '../errors.ts';
import { CODEC_CLASSES, decodeError, encodeError, parseEncodedError, type ErrorClassName } from './error-codec.ts';

const SAMPLES: Record<ErrorClassName, () => PanForgeError> = {
  PanForgeError: () => new errors.PanForgeError('odd', 'something odd', { a: 1 }),
  InputError: () => new errors.InputError('file-not-found', 'pan.tif does not exist', { path: '/x/pan.tif' }),
  RequestError: () => new errors.RequestError('unknown-method', 'no method "foo"', { got: 'foo', expected: ['exp'] }),
  ModelError: () => new errors.ModelError('manifest', 'bad manifest', { field: 'ratio' }),
  OutputError: () => new errors.OutputError('exists', 'out.tif exists; pass --overwrite', { path: 'out.tif' }),
  CancelledError: () => new errors.CancelledError('cancelled by the user'),
  EngineCrashedError: () => new errors.EngineCrashedError('the engine process stopped unexpectedly (killed by SIGKILL)', { exit: 'killed by SIGKILL' }),
};

/** errors.ts's exported error classes, found at run time. */
function exportedErrorClasses(): string[] {
  return Object.entries(errors)
    .filter(([, v]) => typeof v === 'function' && (v === PanForgeError || v.prototype instanceof PanForgeError))
    .map(([k]) => k)
    .sort();
}

test('the codec and these samples cover every error class errors.ts exports', () => {
  assert.deepEqual([...CODEC_CLASSES].sort(), exportedErrorClasses());
  assert.deepEqual(Object.keys(SAMPLES).sort(), exportedErrorClasses());
});

for (const kind of CODEC_CLASSES) {
  test(`${kind} round-trips with its class, code, details and exit code`, () => {
    const original = SAMPLES[kind]();
    // structuredClone: what postMessage and advanced-serialization IPC do to it.
    const decoded = decodeError(parseEncodedError(structuredClone(encodeError(original)), 'test'));
    assert.equal(decoded.constructor, original.constructor);
    assert.ok(decoded instanceof PanForgeError);
    assert.equal(decoded.name, original.name);
    assert.equal(decoded.code, original.code);
    assert.equal(decoded.message, original.message);
    assert.deepEqual(decoded.details, original.details);
    assert.equal(exitCodeFor(decoded), exitCodeFor(original));
  });
}

test('a subclass from elsewhere comes back as its nearest errors.ts class, keeping its name', () => {
  class SceneTooSmall extends InputError {}
  const decoded = decodeError(encodeError(new SceneTooSmall('too-small', 'scene too small', { w: 10 })));
  assert.ok(decoded instanceof InputError);
  assert.equal(decoded.name, 'SceneTooSmall');
  assert.equal(decoded.code, 'too-small');
  assert.equal(exitCodeFor(decoded), 3);
});

test('internal errors become plain Errors with their message; a string code is kept on the wire form', () => {
  const bug = decodeError(encodeError(new TypeError('x is undefined')));
  assert.equal(bug.constructor, Error);
  assert.equal(bug.message, 'x is undefined');
  assert.equal(exitCodeFor(bug), 1);
  assert.equal(decodeError(encodeError('a string'), 'worker').message, 'worker: a string');
  const contract = encodeError(new ContractError('engine call', 'an object', 3));
  assert.equal(contract.kind, 'internal');
  assert.equal(contract.code, 'contract');
});

test('a malformed encoded error is refused', () => {
  assert.throws(() => parseEncodedError({ kind: 'NoSuchError', name: 'x', code: 'x', message: 'x', details: {} }, 'reply'), /reply: expected an encoded error/);
  assert.throws(() => parseEncodedError({ kind: 'InputError', name: 'x', code: 'x', message: 3, details: {} }, 'reply'), /encoded error/);
});
