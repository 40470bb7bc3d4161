import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.RUNWRIGHT_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  // `npm run dev -w apps/editor` serves the editor with hot reload and sends API calls to a running API.
  server: { proxy: { '/api': api, '/healthz': api } },
});
