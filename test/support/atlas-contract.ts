import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validates privlink's responses against the official Atlas Admin API v2 spec subset in
 * `test/contract/atlas-spec/` (see its README), and the v1.0 serverless operations against the
 * v1.0 spec: serverless instances against its text, serverless private endpoints against the
 * v1.0 operation list (which names the v2 schemas it shares) with the v2 schemas. Deviations recorded from real Atlas traffic
 * are applied to the spec, not to privlink: optional fields may be `null`
 * (Atlas sends explicit nulls), AWS interface endpoint ids are `vpce-…` (the spec says 24-hex),
 * GCP service attachment names are `projects/…/serviceAttachments/…` (the spec says an https URL),
 * a 2xx status the spec does not list (201, 202) is checked against the spec's 2xx schema, an
 * unlisted error status against `ApiError`, and `ApiError.parameters` may hold strings.
 */
type Schema = Record<string, unknown>;
export type Spec = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: Record<string, Record<string, Schema>> };

const SPEC_DIR = new URL('../../../test/contract/atlas-spec/', import.meta.url);
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** One v1.0 operation of the condensed v1.0 private-endpoint listing: status → schema name, `array<Name>`, a shared response name or `no body`. */
type V1Operation = { method: string; path: string; responses: Record<string, string> };

const V1_SERVERLESS_SPEC = 'atlas-v1.0-serverless-instances.mongodb-openapi-v1-deprecated-02b92a4.yaml';
const V1_PRIVATE_ENDPOINT_OPS = 'atlas-v1.0-privateEndpoint-ops.CONDENSED-from-mongodb-openapi-v1-deprecated-02b92a4.yaml';

let cached: { spec: Spec; connection: Spec; serverless: Spec; databaseUsers: Spec; v1Serverless: Spec; v1PrivateEndpointOps: V1Operation[]; ajv: Ajv } | undefined;

function load() {
  if (!cached) {
    const spec = parse(readFileSync(new URL('private-endpoint-paths.yaml', SPEC_DIR), 'utf8')) as Spec;
    const connection = parse(readFileSync(new URL('cluster-connection-strings.yaml', SPEC_DIR), 'utf8')) as Spec;
    const serverless = parse(readFileSync(new URL('serverless-instances.yaml', SPEC_DIR), 'utf8')) as Spec;
    const databaseUsers = parse(readFileSync(new URL('database-users.yaml', SPEC_DIR), 'utf8')) as Spec;
    const v1Serverless = parse(readFileSync(new URL(V1_SERVERLESS_SPEC, SPEC_DIR), 'utf8')) as Spec;
    const v1PrivateEndpointOps = (parse(readFileSync(new URL(V1_PRIVATE_ENDPOINT_OPS, SPEC_DIR), 'utf8')) as { ops: V1Operation[] }).ops;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    cached = { spec, connection, serverless, databaseUsers, v1Serverless, v1PrivateEndpointOps, ajv };
  }
  return cached;
}

/**
 * Resolves `$ref`s, turns `nullable`/optional fields into "or null" (unless `optionalMayBeNull` is
 * false: App Services leaves absent fields out), and discriminators into if/then.
 */
export function convert(schema: unknown, root: Spec, seen: string[] = [], optionalMayBeNull = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, root, seen, optionalMayBeNull));
  if (!schema || typeof schema !== 'object') return schema;
  const input = schema as Schema;
  if (typeof input.$ref === 'string') {
    const name = input.$ref.split('/').pop()!;
    const kind = input.$ref.split('/')[2]!;
    if (seen.includes(name)) return {};
    const target = root.components[kind]?.[name] ?? load().connection.components[kind]?.[name];
    if (!target) throw new Error(`Unresolved $ref ${input.$ref}`);
    return convert(target, root, [...seen, name], optionalMayBeNull);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'discriminator' || key === 'example' || key.startsWith('x-') || key === 'readOnly' || key === 'writeOnly' || key === 'nullable') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, convert(v, root, seen, optionalMayBeNull)]))
        : convert(value, root, seen, optionalMayBeNull);
  }
  if (input.properties && optionalMayBeNull) {
    const required = new Set((input.required as string[] | undefined) ?? []);
    const properties = out.properties as Record<string, Schema>;
    for (const [name, property] of Object.entries(properties)) {
      if (!required.has(name) || (input.properties as Record<string, Schema>)[name]?.nullable) properties[name] = { anyOf: [property, { type: 'null' }] };
    }
  }
  const discriminator = input.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
  if (discriminator?.mapping) {
    const branches = Object.entries(discriminator.mapping).map(([value, ref]) => ({
      if: { properties: { [discriminator.propertyName]: { const: value } }, required: [discriminator.propertyName] },
      then: convert({ $ref: ref }, root, seen, optionalMayBeNull),
    }));
    delete out.oneOf;
    out.allOf = [...((out.allOf as unknown[]) ?? []), ...branches];
  }
  return out;
}

/** Applies the recorded deviations of real Atlas from its spec (see file comment). */
function applyObservedDeviations(schema: unknown): unknown {
  const text = JSON.stringify(schema)
    // ApiError.parameters holds the detail's substitutions, strings in every recorded response (spec: objects).
    .replace(/"description":"Parameters used to give more information about the error\.","items":\{"type":"object"\}/g, '"description":"parameters","items":{}')
    // interfaceEndpoints[] / interfaceEndpointId carry vpce ids on AWS (as real Atlas sends them).
    .replace(
      /"description":"Unique 24-hexadecimal digit string that identifies the interface endpoint\.","pattern":"\^\(\[a-f0-9\]\{24\}\)\$"/g,
      '"description":"vpce id","pattern":"^(vpce-[0-9a-f]{17}|[a-f0-9]{24})$"',
    )
    // serviceAttachmentNames[] are `projects/<project>/regions/<region>/serviceAttachments/<name>`, without
    // the scheme and host the spec's pattern asks for (recorded); the producer project is the operator's
    // own GCP project (Atlas's are `p-…`).
    .replace(
      /"pattern":"https:[^"]*serviceAttachments[^"]*"/g,
      () => `"pattern":${JSON.stringify('^(https://[a-z0-9.]+\\.[a-z]{2,}(/[a-z0-9-]+)+/)?projects/[a-z][-a-z0-9]+/regions/[a-z0-9-]+/serviceAttachments/[a-z0-9-]+$')}`,
    );
  return JSON.parse(text);
}

const validators = new Map<string, ValidateFunction>();

/**
 * Validates one response body of `method path` (path as in the spec, e.g.
 * `/api/atlas/v2/groups/{groupId}/privateEndpoint/endpointService`) with HTTP `status`.
 * Returns human-readable errors (empty when valid).
 */
export function contractErrors(method: string, path: string, status: number, body: unknown): string[] {
  const loaded = load();
  const { ajv } = loaded;
  if (path.startsWith('/api/atlas/v1.0/groups/{groupId}/privateEndpoint/')) return v1PrivateEndpointErrors(method, path, status, body);
  const spec = path.startsWith('/api/atlas/v2/groups/{groupId}/serverless')
    ? loaded.serverless
    : path.startsWith('/api/atlas/v1.0/groups/{groupId}/serverless')
      ? loaded.v1Serverless
      : path.startsWith('/api/atlas/v2/groups/{groupId}/databaseUsers')
        ? loaded.databaseUsers
        : loaded.spec;
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) return [`the spec has no ${method} ${path}`];
  const responses = operation.responses;
  let response = responses[String(status)] as Schema | undefined;
  if (!response && status >= 200 && status < 300) response = Object.entries(responses).find(([code]) => code.startsWith('2'))?.[1] as Schema | undefined;
  // Atlas answers errors the spec does not list (409 on create endpoint service, recorded): any error is an ApiError.
  if (!response && status >= 400) response = { $ref: '#/components/responses/badRequest' };
  if (!response) return [`the spec lists no ${status} response for ${method} ${path}`];
  if (typeof response.$ref === 'string') response = spec.components.responses![response.$ref.split('/').pop()!] as Schema;
  const content = response.content as Record<string, { schema?: unknown }> | undefined;
  if (!content) return body === undefined || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0) ? [] : ['the spec says no body'];
  const media = content['application/vnd.atlas.2023-01-01+json'] ?? content['application/json'] ?? Object.values(content)[0]!;
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(applyObservedDeviations(convert(media.schema ?? {}, spec)) as Schema);
    validators.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
}

/**
 * A v1.0 private-endpoint operation: the v1.0 listing gives its statuses and the name of each
 * body's schema, which are the v2 schemas of the same name (as the listing states); error bodies
 * are the v1.0 `ApiError`.
 */
function v1PrivateEndpointErrors(method: string, path: string, status: number, body: unknown): string[] {
  const { spec, v1Serverless, v1PrivateEndpointOps, ajv } = load();
  const operation = v1PrivateEndpointOps.find((op) => op.method === method.toUpperCase() && op.path === path);
  if (!operation) return [`the v1.0 spec has no ${method} ${path}`];
  let response = operation.responses[String(status)];
  if (!response && status >= 200 && status < 300) response = Object.entries(operation.responses).find(([code]) => code.startsWith('2'))?.[1];
  if (!response && status >= 400) response = 'badRequest';
  if (!response) return [`the v1.0 spec lists no ${status} response for ${method} ${path}`];
  if (response === 'no body') return body === undefined || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0) ? [] : ['the spec says no body'];
  const key = `v1.0 ${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    let schema: unknown;
    const errorResponse = v1Serverless.components.responses![response] as Schema | undefined;
    if (errorResponse) {
      schema = convert((errorResponse.content as Record<string, { schema: unknown }>)['application/json']!.schema, v1Serverless);
    } else {
      const array = /^array<(\w+)>$/.exec(response);
      const ref = { $ref: `#/components/schemas/${array ? array[1] : response}` };
      schema = convert(array ? { type: 'array', items: ref } : ref, spec);
    }
    validate = ajv.compile(applyObservedDeviations(schema) as Schema);
    validators.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Validates a cluster's `connectionStrings` object against `ClusterConnectionStrings`. */
export function connectionStringsErrors(body: unknown): string[] {
  const { connection, ajv } = load();
  const validate = ajv.compile(convert({ $ref: '#/components/schemas/ClusterConnectionStrings' }, connection) as Schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Asserts the status and that the body validates against the official spec of that private-endpoint operation (`specPath` under `…/groups/{groupId}/privateEndpoint`). */
export function expectContract(res: AtlasResponse, method: string, specPath: string, status: number): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(contractErrors(method, `/api/atlas/v2/groups/{groupId}/privateEndpoint${specPath}`, status, res.json ?? {}), [], `${method} ${specPath} → ${res.text}`);
}

/** Asserts the status and that the body validates against the official spec of that serverless-instance operation (`specPath` under `…/groups/{groupId}/serverless`). */
export function expectServerlessContract(res: AtlasResponse, method: string, specPath: string, status: number): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(contractErrors(method, `/api/atlas/v2/groups/{groupId}/serverless${specPath}`, status, res.json ?? {}), [], `${method} ${specPath} → ${res.text}`);
}

/** Asserts the status and that the body validates against the official spec of that database-user operation (`specPath` under `…/groups/{groupId}/databaseUsers`). */
export function expectDatabaseUserContract(res: AtlasResponse, method: string, specPath: string, status: number): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(contractErrors(method, `/api/atlas/v2/groups/{groupId}/databaseUsers${specPath}`, status, res.json ?? {}), [], `${method} ${specPath} → ${res.text}`);
}

/** v1.0 answers in `application/json`, the only media type of its spec. */
function expectV1Json(res: AtlasResponse): void {
  assert.match(String(res.headers['content-type']), /^application\/json/, `v1.0 content type ${String(res.headers['content-type'])}`);
}

/** As `expectServerlessContract`, on v1.0 (`…/api/atlas/v1.0/groups/{groupId}/serverless${specPath}`, the v1.0 spec's list and get). */
export function expectV1ServerlessContract(res: AtlasResponse, method: string, specPath: string, status: number): void {
  assert.equal(res.status, status, res.text);
  expectV1Json(res);
  assert.deepEqual(contractErrors(method, `/api/atlas/v1.0/groups/{groupId}/serverless${specPath}`, status, res.json ?? {}), [], `v1.0 ${method} ${specPath} → ${res.text}`);
}

/** As `expectContract`, on v1.0 (`…/api/atlas/v1.0/groups/{groupId}/privateEndpoint${specPath}`). */
export function expectV1Contract(res: AtlasResponse, method: string, specPath: string, status: number): void {
  assert.equal(res.status, status, res.text);
  if (res.text) expectV1Json(res);
  assert.deepEqual(contractErrors(method, `/api/atlas/v1.0/groups/{groupId}/privateEndpoint${specPath}`, status, res.json ?? {}), [], `v1.0 ${method} ${specPath} → ${res.text}`);
}
