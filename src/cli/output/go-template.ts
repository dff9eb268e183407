/**
 * The documented subset of Go's `text/template` that `-o go-template=<t>` accepts, and that the
 * Atlas CLI's built-in output templates are written in:
 *
 *   {{.}}  {{.Field}}  {{.Field.Sub}}          print a value (JSON null / missing → empty)
 *   {{if PIPE}} … {{else if PIPE}} … {{else}} … {{end}}
 *   {{range PIPE}} … {{else}} … {{end}}         `.` is each element (object: values by sorted key)
 *   {{/* comment *\/}}  {{- trim -}}             as in Go
 *   PIPE = .Field… | valueOrEmptySlice .Field…   (the Atlas CLI's helper, kept for copied templates)
 *
 * Field names match JSON keys exactly or, failing that, case-insensitively, so the Atlas CLI's Go
 * field names work: `{{.Id}}` → `id`, `{{.EndpointServiceName}}` → `endpointServiceName`.
 * Anything else (functions, pipelines, variables, `with`, `define`, …) is refused at parse time
 * with a GoTemplateError, which the CLI reports as a flag error before calling the API.
 *
 * @example
 *   renderGoTemplate(parseGoTemplate('{{range .}}{{.id}} {{end}}'), [{ id: 'a' }, { id: 'b' }]) // 'a b '
 */
export class GoTemplateError extends Error {
  override readonly name = 'GoTemplateError';
}

type FieldPath = readonly string[];
interface Pipe {
  readonly path: FieldPath;
}
type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'print'; readonly pipe: Pipe }
  | { readonly kind: 'if'; readonly branches: ReadonlyArray<{ readonly pipe: Pipe; readonly body: Node[] }>; readonly otherwise: Node[] }
  | { readonly kind: 'range'; readonly pipe: Pipe; readonly body: Node[]; readonly otherwise: Node[] };

/** A parsed template. */
export interface GoTemplate {
  readonly source: string;
  readonly nodes: readonly Node[];
}

const GO_TEMPLATE_SUBSET = '{{.Field}}, {{range .Field}}, {{if .Field}}, {{else}}, {{end}}';

interface Token {
  readonly kind: 'text' | 'action';
  readonly value: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNextText) text = text.replace(/^\s+/, '');
    trimNextText = false;
    if (open === -1) {
      if (text) tokens.push({ kind: 'text', value: text });
      break;
    }
    let inner = source.slice(open + 2);
    const close = findClose(inner);
    if (close === -1) throw new GoTemplateError(`unclosed action ${truncate(source.slice(open))}`);
    inner = inner.slice(0, close);
    // Go trims only with a space after `{{-` / before `-}}`.
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      trimNextText = true;
      inner = inner.slice(0, -1);
    }
    if (text) tokens.push({ kind: 'text', value: text });
    tokens.push({ kind: 'action', value: inner.trim() });
    pos = open + 2 + close + 2;
  }
  return tokens;
}

/** Index of the `}}` that closes an action, skipping quoted strings and comments. */
function findClose(inner: string): number {
  if (/^-?\s*\/\*/.test(inner)) {
    const end = inner.indexOf('*/');
    return end === -1 ? -1 : inner.indexOf('}}', end + 2);
  }
  let quote: string | null = null;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '}' && inner[i + 1] === '}') return i;
  }
  return -1;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const FIELD_CHAIN = /^\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

function parsePipe(expression: string, action: string): Pipe {
  let text = expression.trim();
  const helper = /^valueOrEmptySlice\s+(.+)$/.exec(text);
  if (helper) text = helper[1]!.trim();
  if (!FIELD_CHAIN.test(text)) throw unsupported(action);
  return { path: text === '.' ? [] : text.slice(1).split('.') };
}

function unsupported(action: string): GoTemplateError {
  return new GoTemplateError(`unsupported action {{${action}}}: only ${GO_TEMPLATE_SUBSET} are supported`);
}

/** Parses a template of the subset; throws GoTemplateError for anything outside it. */
export function parseGoTemplate(source: string): GoTemplate {
  const tokens = tokenize(source);
  let index = 0;

  // Parses nodes until one of `stops` ({{end}}, {{else…}}) and returns it, or EOF at top level.
  const parseList = (stops: boolean): { nodes: Node[]; stop: string | null } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++]!;
      if (token.kind === 'text') {
        nodes.push({ kind: 'text', text: token.value });
        continue;
      }
      const action = token.value;
      if (action.startsWith('/*')) continue;
      if (action === 'end' || action === 'else' || /^else\s+if\s/.test(action)) {
        if (!stops) throw new GoTemplateError(`unexpected {{${action}}}`);
        return { nodes, stop: action };
      }
      const keyword = /^(if|range)\s+(.+)$/s.exec(action);
      if (keyword) {
        const pipe = parsePipe(keyword[2]!, action);
        if (keyword[1] === 'range') {
          const body = parseList(true);
          let otherwise: Node[] = [];
          if (body.stop === 'else') {
            const rest = parseList(true);
            if (rest.stop !== 'end') throw new GoTemplateError(`expected {{end}} after {{else}} in {{${action}}}`);
            otherwise = rest.nodes;
          } else if (body.stop !== 'end')
            throw new GoTemplateError(body.stop ? `unexpected {{${body.stop}}} in {{${action}}}` : `unexpected EOF: {{${action}}} is not closed by {{end}}`);
          nodes.push({ kind: 'range', pipe, body: body.nodes, otherwise });
        } else {
          const branches: Array<{ pipe: Pipe; body: Node[] }> = [];
          let current = pipe;
          let otherwise: Node[] = [];
          for (;;) {
            const body = parseList(true);
            branches.push({ pipe: current, body: body.nodes });
            if (body.stop === 'end') break;
            if (body.stop === 'else') {
              const rest = parseList(true);
              if (rest.stop !== 'end') throw new GoTemplateError(`expected {{end}} after {{else}} in {{${action}}}`);
              otherwise = rest.nodes;
              break;
            }
            if (body.stop && body.stop.startsWith('else')) {
              current = parsePipe(body.stop.replace(/^else\s+if\s+/, ''), body.stop);
              continue;
            }
            throw new GoTemplateError(`unexpected EOF: {{${action}}} is not closed by {{end}}`);
          }
          nodes.push({ kind: 'if', branches, otherwise });
        }
        continue;
      }
      if (action === '') throw new GoTemplateError('missing value for command {{}}');
      nodes.push({ kind: 'print', pipe: parsePipe(action, action) });
    }
    return { nodes, stop: null };
  };

  const result = parseList(false);
  return { source, nodes: result.nodes };
}

/** Renders a parsed template with JSON data. Throws GoTemplateError for impossible ranges. */
export function renderGoTemplate(template: GoTemplate, data: unknown): string {
  let out = '';
  const run = (nodes: readonly Node[], dot: unknown) => {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'print':
          out += formatValue(lookup(dot, node.pipe.path));
          break;
        case 'if': {
          const branch = node.branches.find((b) => truthy(lookup(dot, b.pipe.path)));
          run(branch ? branch.body : node.otherwise, dot);
          break;
        }
        case 'range': {
          const items = rangeItems(lookup(dot, node.pipe.path), node.pipe.path);
          if (items.length === 0) run(node.otherwise, dot);
          for (const item of items) run(node.body, item);
          break;
        }
      }
    }
  };
  run(template.nodes, data);
  return out;
}

/**
 * Looks a field chain up in JSON data: exact key first, then a case-insensitive match, then a key
 * with a leading underscore (`{{.Id}}` reads `_id`, as the Atlas SDK's `Id` field maps `_id`).
 */
export function lookup(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const name of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const record = current as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, name)) current = record[name];
    else {
      const keys = Object.keys(record);
      const key = keys.find((k) => k.toLowerCase() === name.toLowerCase()) ?? keys.find((k) => k.toLowerCase() === `_${name.toLowerCase()}`);
      current = key === undefined ? undefined : record[key];
    }
  }
  return current;
}

/** Go's notion of truth: false, 0, "", nil and empty arrays/maps are false. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function rangeItems(value: unknown, path: FieldPath): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.keys(record)
      .sort()
      .map((k) => record[k]);
  }
  throw new GoTemplateError(`range can't iterate over ${formatValue(value)} (.${path.join('.')})`);
}

/**
 * Prints a value as Go's fmt does for the decoded JSON types, except that JSON null and missing
 * fields print nothing (the Atlas documentation shows an empty ERROR column, not `<nil>`).
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatNested).join(' ')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `map[${Object.keys(record)
      .sort()
      .map((k) => `${k}:${formatNested(record[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}

function formatNested(value: unknown): string {
  return value === null || value === undefined ? '<nil>' : formatValue(value);
}
