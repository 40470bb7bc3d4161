import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.RUNWRIGHT_API_URL ?? 'http://127.0.0.1:8080';

// Libraries in chunks of their own: they change less often than the editor (so browsers keep
// them cached across releases), and a page loads only the ones it uses.
const vendorChunks: { name: string; test: RegExp }[] = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'flow', test: /node_modules[\\/](@xyflow|d3-[a-z]+|classcat|zustand)[\\/]/ },
  { name: 'layout', test: /node_modules[\\/]@dagrejs[\\/]/ },
  { name: 'yaml', test: /node_modules[\\/]yaml[\\/]/ },
  { name: 'jsonata', test: /node_modules[\\/]jsonata[\\/]/ },
  { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: { codeSplitting: { groups: vendorChunks } },
      // The language package's modules only define things, so a page that needs only the API
      // contract does not pull in the YAML parser.
      treeshake: {
        moduleSideEffects: (id: string) => !/packages[\\/]runbook[\\/]src[\\/]/.test(id),
      },
    },
  },
  // `npm run dev -w apps/editor` serves the editor with hot reload and sends API calls to a running API.
  server: { proxy: { '/api': api, '/healthz': api } },
});
