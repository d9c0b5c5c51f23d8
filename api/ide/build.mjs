// Bundles GraphiQL (from node_modules, pinned by package-lock.json) into ../wwwroot/ide.
// Run by the API project's build when Node is present (see DanVanKheo.Api.csproj).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../wwwroot/ide/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const common = { bundle: true, minify: true, outdir, logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' } };
await build({
  ...common,
  entryPoints: { bundle: 'src/bundle.js' },
  format: 'esm',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  assetNames: '[name]-[hash]',
});
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  format: 'iife',
});
