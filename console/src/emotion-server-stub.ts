// LeafyGreen's emotion package also exports server-side rendering helpers built on
// @emotion/server, which needs Node's Buffer and streams. The console renders only in the
// browser, so the build replaces that module with this stub (see vite.config.mjs).
const unsupported = (): never => {
  throw new Error('server-side rendering is not part of the privlink console');
};

export default function createEmotionServer() {
  return { extractCritical: unsupported, renderStylesToString: unsupported, renderStylesToNodeStream: unsupported };
}
