// Builds the web console into dist/console, which the API server serves at `/`.
// `npx vite console` runs the dev server, proxying the API to a running privlink
// (PRIVLINK_URL, default http://127.0.0.1:8080).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const target = process.env.PRIVLINK_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Browser only: LeafyGreen's server-side rendering helpers (Node streams, Buffer) are stubbed.
  resolve: { alias: { '@emotion/server/create-instance': fileURLToPath(new URL('./src/emotion-server-stub.ts', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../dist/console', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': target, '/console/api': target } },
});
