import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GoTemplateError, parseGoTemplate, renderGoTemplate } from '../../src/cli/output/go-template.js';

const render = (source: string, data: unknown) => renderGoTemplate(parseGoTemplate(source), data);

describe('go-template subset', () => {
  test('prints fields by JSON name or by the Atlas CLI Go field name', () => {
    const body = { id: '6a79', endpointServiceName: 'svc', privateEndpointIPAddress: '10.0.0.4' };
    assert.equal(render('{{.id}} {{.Id}} {{.EndpointServiceName}} {{.PrivateEndpointIPAddress}}', body), '6a79 6a79 svc 10.0.0.4');
    assert.equal(render('{{.Id}} {{._id}} {{.id}}', { _id: '5f7c' }), '5f7c 5f7c 5f7c');
    assert.equal(render('{{.Id}}', { _id: 'underscore', id: 'plain' }), 'plain');
  });

  test('prints nested fields, the dot, and nothing for null or missing fields', () => {
    assert.equal(render('{{.a.b}}|{{.errorMessage}}|{{.missing}}|{{.a.missing.deeper}}', { a: { b: 1 }, errorMessage: null }), '1|||');
    assert.equal(render('{{.}}', 'x'), 'x');
  });

  test('prints booleans, numbers, arrays and objects as Go prints decoded JSON', () => {
    assert.equal(render('{{.t}} {{.n}} {{.list}} {{.obj}}', { t: false, n: 3, list: ['a', 'b'], obj: { z: 1, a: 'x' } }), 'false 3 [a b] map[a:x z:1]');
  });

  test('range iterates arrays, object values in key order, and runs else when empty', () => {
    assert.equal(render('{{range .}}[{{.id}}]{{end}}', [{ id: 1 }, { id: 2 }]), '[1][2]');
    assert.equal(render('{{range .m}}{{.}},{{end}}', { m: { b: 2, a: 1 } }), '1,2,');
    assert.equal(render('{{range .l}}x{{else}}none{{end}}', { l: [] }), 'none');
    assert.equal(render('{{range .l}}x{{else}}none{{end}}', {}), 'none');
  });

  test('accepts the Atlas CLI helper valueOrEmptySlice', () => {
    assert.equal(render('ID{{range valueOrEmptySlice .}}\n{{.Id}}{{end}}\n', [{ id: 'a' }]), 'ID\na\n');
    assert.equal(render('ID{{range valueOrEmptySlice .Results}}\n{{.Id}}{{end}}\n', { results: null }), 'ID\n');
  });

  test('if / else if / else follow Go truth (empty strings, arrays, zero and null are false)', () => {
    const t = '{{if .a}}A{{else if .b}}B{{else}}C{{end}}';
    assert.equal(render(t, { a: 'x' }), 'A');
    assert.equal(render(t, { a: '', b: [1] }), 'B');
    assert.equal(render(t, { a: 0, b: [] }), 'C');
    assert.equal(render(t, { a: null, b: {} }), 'C');
  });

  test('trims whitespace with {{- and -}} and skips comments', () => {
    assert.equal(render('a  {{- .x -}}  b{{/* note */}}', { x: 1 }), 'a1b');
  });

  for (const bad of ['{{printf "%s" .x}}', '{{.x | upper}}', '{{with .x}}y{{end}}', '{{$x := .y}}', '{{len .x}}', '{{template "t"}}', '{{range $i, $g := .x}}{{end}}', '{{}}']) {
    test(`refuses ${bad} with an error naming the supported subset`, () => {
      assert.throws(
        () => parseGoTemplate(bad),
        (error: unknown) => error instanceof GoTemplateError && /supported|missing value/.test(error.message),
      );
    });
  }

  test('refuses unbalanced blocks', () => {
    assert.throws(() => parseGoTemplate('{{range .}}x'), /not closed by \{\{end\}\}/);
    assert.throws(() => parseGoTemplate('{{if .a}}x{{else}}y'), /expected \{\{end\}\}/);
    assert.throws(() => parseGoTemplate('x{{end}}'), /unexpected \{\{end\}\}/);
    assert.throws(() => parseGoTemplate('{{.x'), /unclosed action/);
  });

  test('range over a scalar is a render error', () => {
    assert.throws(() => render('{{range .x}}{{end}}', { x: 'str' }), GoTemplateError);
  });
});
