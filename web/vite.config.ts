import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` (in web/) serves the app with hot reload and forwards the API, its WebSocket and
// the OpenAPI UI to a govrelay server (GOVRELAY_URL, default http://127.0.0.1:3000).
const target = process.env.GOVRELAY_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline module-preload polyfill or data: scripts: the CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': target,
      '/docs': target,
      '/health': target,
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
