import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { convert, type Spec } from './atlas-contract.js';

/**
 * Validates privlink's App Services Admin API (v3) answers against the official v3 spec in
 * `test/contract/atlas-spec/` (MongoDB's `openapi-admin-v3.yaml`): a 2xx body against the schema
 * of that operation and status (the operation's only 2xx schema when the status is not listed);
 * an error body against the operation's schema for that status when it has one (the refresh and
 * sign-out errors name their exact messages), else against the spec's `Error` (`error`,
 * `error_code`). Fields the spec leaves optional must be absent, not `null`. Operations the spec
 * does not have (privlink's own additions, such as reading the restrict-access toggle) are not
 * checked. Two deviations of the spec from App Services itself are applied to the spec: an app
 * without an environment has `"environment": ""` (the spec's own example) where its schema lists
 * only the four environment names, and an app's `location` is any location of App Services'
 * "Deployment Models & Regions" page (`US-OH`, `GB`, `NL`, `US-IA`, …), where the schema lists
 * only the eight global-deployment ones. `path` is the request path under `/api/admin/v3.0`, query string allowed.
 */
const SPEC_FILE = 'app-services-admin-v3-apps-auth.docs-app-services-5884ba6.yaml';
const SPEC_DIR = new URL('../../../test/contract/atlas-spec/', import.meta.url);
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }> };
let cached: { spec: Spec; ajv: Ajv; templates: Array<{ template: string; pattern: RegExp }> } | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (!cached) {
    const spec = parse(readFileSync(new URL(SPEC_FILE, SPEC_DIR), 'utf8')) as Spec;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    // The spec's Go-flavoured formats: an ObjectId's hex, an IP address, an IP network (CIDR).
    ajv.addFormat('ObjectID', /^[0-9a-f]{24}$/);
    ajv.addFormat('net.IP', (value: string) => isIP(value) !== 0);
    ajv.addFormat('net.IPNet', (value: string) => /^[^/]+\/\d{1,3}$/.test(value) && isIP(value.split('/')[0]!) !== 0);
    const templates = Object.keys(spec.paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    cached = { spec, ajv, templates };
  }
  return cached;
}

/** The spec's errors for one answer (empty when it conforms or the spec does not have the operation). */
export function appServicesContractErrors(method: string, path: string, status: number, body: unknown): string[] {
  const { spec, ajv, templates } = load();
  const bare = path.split('?')[0]!;
  const template = templates.find((t) => t.pattern.test(bare))?.template;
  const operation = template ? (spec.paths[template]?.[method.toLowerCase()] as Operation | undefined) : undefined;
  if (!template || !operation) return [];
  let response = operation.responses[String(status)];
  if (!response && status >= 200 && status < 300) response = Object.entries(operation.responses).find(([code]) => code.startsWith('2'))?.[1];
  if (response?.$ref) response = spec.components.responses![response.$ref.split('/').pop()!] as Operation['responses'][string];
  // Errors: the spec's `Error` shape. (Its per-operation error schemas pin one message each, e.g.
  // only "incorrect token type" for a refused refresh, while App Services answers other causes with
  // other messages of the same shape, as the spec itself lists under sign-out.)
  const schema = status >= 400 ? { $ref: '#/components/schemas/Error' } : response?.content?.['application/json']?.schema;
  if (!schema) return status >= 200 && status < 300 && body !== undefined && body !== '' ? [`${method} ${template} ${status}: the spec says no body`] : [];
  const key = `${method} ${template} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(applyObservedDeviations(convert(schema, spec, [], false)) as Record<string, unknown>);
    validators.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
}

/**
 * The deviations above: `AppEnvironment` also takes "", `location` any `CC` or `CC-RR` location
 * code. (And the spec's few Swagger-2-style `required: true` flags on a property, which JSON Schema
 * does not allow, are dropped.)
 */
function applyObservedDeviations(schema: unknown): unknown {
  const text = JSON.stringify(schema, (key, value: unknown) => (key === 'required' && !Array.isArray(value) ? undefined : value))
    .replace(/"enum":\["development","testing","qa","production"\]/g, '"enum":["","development","testing","qa","production"]')
    .replace(/"enum":\["US-VA","US-OR","DE-FF","IE","AU","IN-MB","SG","BR-SP"\]/g, '"pattern":"^[A-Z]{2}(-[A-Z]{2})?$"');
  return JSON.parse(text);
}
