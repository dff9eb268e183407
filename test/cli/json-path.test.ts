import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateJsonPath, JsonPathError, parseJsonPath } from '../../src/cli/output/json-path.js';

const list = [
  { id: 'a', status: 'AVAILABLE', interfaceEndpoints: ['vpce-1', 'vpce-2'] },
  { id: 'b', status: 'INITIATING', interfaceEndpoints: [] },
];

describe('json-path', () => {
  test('$ is the whole body', () => {
    assert.deepEqual(evaluateJsonPath('$', list), list);
  });

  test('members and indexes give one value', () => {
    assert.equal(evaluateJsonPath('$[0].status', list), 'AVAILABLE');
    assert.equal(evaluateJsonPath("$[1]['id']", list), 'b');
    assert.equal(evaluateJsonPath('$[-1].id', list), 'b');
    assert.equal(evaluateJsonPath('$[0].interfaceEndpoints[1]', list), 'vpce-2');
  });

  test('wildcards, slices, unions and recursive descent give arrays', () => {
    assert.deepEqual(evaluateJsonPath('$[*].id', list), ['a', 'b']);
    assert.deepEqual(evaluateJsonPath('$.*.status', list), ['AVAILABLE', 'INITIATING']);
    assert.deepEqual(evaluateJsonPath('$[0:1].id', list), ['a']);
    assert.deepEqual(evaluateJsonPath('$[0,1].id', list), ['a', 'b']);
    assert.deepEqual(evaluateJsonPath("$[0]['id','status']", list), ['a', 'AVAILABLE']);
    assert.deepEqual(evaluateJsonPath('$..interfaceEndpoints[*]', list), ['vpce-1', 'vpce-2']);
    assert.deepEqual(evaluateJsonPath('$[*].missing', list), []);
  });

  test('a missing member of a single-value path is an error, as in the Atlas CLI', () => {
    assert.throws(() => evaluateJsonPath('$[0].nope', list), /unknown key nope/);
    assert.throws(() => evaluateJsonPath('$[5]', list), /out of bounds/);
  });

  test('syntax errors are reported when parsing', () => {
    for (const bad of ['', 'status', '$.', '$[', '$[abc]', '$..']) assert.throws(() => parseJsonPath(bad), JsonPathError, bad);
  });
});
