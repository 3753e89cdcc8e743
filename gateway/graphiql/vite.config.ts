import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// GraphiQL bundled at build time (no CDN at run time); the gateway serves dist/ under /graphiql.
export default defineConfig({
  root: import.meta.dirname,
  base: '/graphiql/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 5000 },
  logLevel: 'warn',
});
