// Monaco's web workers, bundled next to bundle.js by build.mjs.
const base = new URL('./', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, base));
  },
};
