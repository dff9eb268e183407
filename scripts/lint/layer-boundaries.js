// An ESLint rule that holds privlink's layers: an import from a file under one `src/` folder into
// a folder that layer may not use is an error. Paths are resolved, so `./commands/localcloud/…`
// inside src/cli is not mistaken for src/localcloud.
import { dirname, relative, resolve } from 'node:path';

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
    forbidden: ['localcloud', 'reconciler', 'providers'],
    why: 'the CLI talks to privlink and the clouds over their APIs (and opens the store for admin commands); only main.ts wires in the local cloud',
  },
  client: { forbidden: ['localcloud', 'store', 'app', 'api', 'reconciler', 'providers', 'cli'], why: 'the API client speaks HTTP only' },
  config: { forbidden: ['localcloud', 'store', 'app', 'api', 'reconciler', 'providers', 'cli'], why: 'config is read once and passed down' },
};

export const layerBoundaries = {
  meta: { type: 'problem', schema: [], messages: { crossing: '{{from}}/ may not import {{to}}: {{why}}.' } },
  create(context) {
    const file = context.filename;
    const src = resolve(context.cwd, 'src');
    const own = relative(src, file).split('/')[0];
    const layer = LAYERS[own];
    if (!layer || relative(src, file).startsWith('..')) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(src, resolve(dirname(file), source)).replace(/\.js$/, '.ts');
      const hit = layer.forbidden.find((f) => target === f || target.startsWith(`${f}/`));
      if (hit) context.report({ node, messageId: 'crossing', data: { from: own, to: hit, why: layer.why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
