/**
 * Builds the web app into dist/web (served by the Fastify server for every non-API path).
 * `npm run build:web`; for development, `npx vite --config web/vite.config.ts` proxies /api to :3100.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.ANJIAN_API ?? 'http://127.0.0.1:3100', changeOrigin: false } },
  },
});
