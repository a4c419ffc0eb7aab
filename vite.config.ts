import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './scripts/vite-precompress.js';

// A build is always a production build, even when started from a test runner
// that sets NODE_ENV=test (React's development build and AG Grid's validation
// module would otherwise land in web/dist).
if (process.argv.includes('build') && process.env.NODE_ENV !== 'production')
  process.env.NODE_ENV = 'production';

// The web app lives in web/ and builds to web/dist, which the server serves
// with a fallback to index.html for client-side routes.
export default defineConfig({
  root: 'web',
  plugins: [react(), precompress()],
  server: {
    // `npm start` serves the API on 3000; API_URL points the dev server elsewhere.
    proxy: { '/api': process.env.API_URL ?? 'http://localhost:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // AG Grid is only needed by list pages, which are loaded lazily: keep
        // it (and React) in chunks of their own so the sign-in page stays small.
        codeSplitting: {
          groups: [
            // React first: otherwise the AG Grid group takes it in as a dependency
            // of ag-grid-react, and the first page would have to load the grid.
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/, priority: 1 },
          ],
        },
      },
    },
  },
});
