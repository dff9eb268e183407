// An ESLint rule that holds privlink's layers: an import from a file under one `src/` folder into
// a folder that layer may not use is an error. Paths are resolved, so `./commands/localcloud/…`
// inside src/cli is not mistaken for src/localcloud. A layer's `except` lists folders inside a
// forbidden one that it may still import, with `import type` only. The wire types
// (src/api/atlas/wire/) are pure types that import nothing but each other.
import { dirname, relative, resolve } from 'node:path';

/** Atlas's wire types: the one part of api/ the CLI and the API client may use. */
export const WIRE = 'api/atlas/wire';

/** layer folder (under src/) → folders (under src/) it must not import, with the reason. */
export const LAYERS = {
  domain: {
    forbidden: ['app', 'api', 'store', 'reconciler', 'providers', 'localcloud', 'cli', 'client', 'config', 'logging', 'main.ts'],
    why: 'domain/ is pure: it imports nothing of ours outside domain/',
  },
  app: { forbidden: ['api', 'cli', 'reconciler', 'providers', 'localcloud', 'main.ts'], why: 'app/ holds use cases: no HTTP, CLI, reconciler, cloud or local-cloud code' },
  api: { forbidden: ['store', 'reconciler', 'providers', 'localcloud', 'cli', 'main.ts'], why: 'api/ is thin: it calls use cases in app/, never the store, reconciler or clouds' },
  store: { forbidden: ['app', 'api', 'cli', 'reconciler', 'providers', 'localcloud', 'main.ts'], why: 'store/ is persistence only' },
  reconciler: {
    forbidden: ['api', 'cli', 'localcloud', 'providers/aws', 'providers/azure', 'providers/gcp', 'main.ts'],
    why: 'reconcilers see the provider contract and registry, never a cloud adapter or the local cloud',
  },
  providers: {
    forbidden: ['app', 'api', 'store', 'reconciler', 'localcloud', 'cli', 'main.ts'],
    why: 'providers/ are adapters at the edge: the contract, the domain and a cloud SDK',
  },
  cli: {
    forbidden: ['localcloud', 'reconciler', 'providers', 'api'],
    except: [WIRE],
    why: `the CLI talks to privlink and the clouds over their APIs (and opens the store for admin commands), reading answers as the wire types of ${WIRE}/ (import type), nothing else of api/; only main.ts wires in the local cloud`,
  },
  client: {
    forbidden: ['localcloud', 'store', 'app', 'api', 'reconciler', 'providers', 'cli'],
    except: [WIRE],
    why: `the API client speaks HTTP only; of api/ it may use only the wire types of ${WIRE}/ (import type)`,
  },
  config: { forbidden: ['localcloud', 'store', 'app', 'api', 'reconciler', 'providers', 'cli'], why: 'config is read once and passed down' },
};

export const layerBoundaries = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      crossing: '{{from}}/ may not import {{to}}: {{why}}.',
      wire: `${WIRE}/ holds pure types: it imports only other ${WIRE}/ files, with import type.`,
    },
  },
  create(context) {
    const file = context.filename;
    const src = resolve(context.cwd, 'src');
    const path = relative(src, file);
    const own = path.split('/')[0];
    const layer = LAYERS[own];
    if (!layer || path.startsWith('..')) return {};
    const under = (target, folder) => target === folder || target.startsWith(`${folder}/`);
    const inWire = under(path, WIRE);
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string') return;
      if (inWire && (!source.startsWith('.') || !typeOnly || !under(relative(src, resolve(dirname(file), source)), WIRE))) {
        context.report({ node, messageId: 'wire' });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = relative(src, resolve(dirname(file), source)).replace(/\.js$/, '.ts');
      const hit = layer.forbidden.find((f) => under(target, f));
      const excepted = typeOnly && (layer.except ?? []).some((e) => under(target, e));
      if (hit && !excepted) context.report({ node, messageId: 'crossing', data: { from: own, to: hit, why: layer.why } });
    };
    const typeOnlyImport = (node) => node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, typeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};
