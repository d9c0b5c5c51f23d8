// GraphiQL for the registry. Plain ES module (no JSX, no CSS import) so the page can load it
// either bundled (bundle.js) or as is, with its packages from a CDN (see api/GraphQL/IdePage.cs).
// The page passes its settings in #dvk-ide-config.
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { useGraphiQL } from '@graphiql/react';

const config = JSON.parse(document.getElementById('dvk-ide-config').textContent);
// Links like /graphql?query={__typename} open the IDE with that query (and run nothing by themselves).
const linked = new URLSearchParams(location.search);

function Examples() {
  const editor = useGraphiQL(s => s.queryEditor);
  return h('div', { className: 'dvk-examples' },
    h('div', { className: 'graphiql-doc-explorer-title' }, 'Thao tác mẫu'),
    h('p', null, 'Các thao tác trong schema/operations/ (tài liệu tin cậy). Bấm một tên để chép vào trình soạn thảo.'),
    h('ul', { style: { listStyle: 'none', padding: 0 } },
      config.examples.map(e => h('li', { key: e.name },
        h('button', {
          type: 'button',
          className: 'graphiql-un-styled',
          style: { padding: '2px 0', cursor: 'pointer' },
          'data-operation': e.name,
          onClick: () => editor?.setValue(e.body),
        }, e.name)))));
}

const examplesPlugin = {
  title: 'Thao tác mẫu',
  icon: () => h('span', { 'aria-hidden': 'true' }, '≡'),
  content: Examples,
};

createRoot(document.getElementById('graphiql')).render(
  h(GraphiQL, {
    fetcher: createGraphiQLFetcher({ url: config.endpoint }),
    defaultQuery: config.defaultQuery,
    ...(linked.get('query') ? { initialQuery: linked.get('query') } : {}),
    ...(linked.get('variables') ? { initialVariables: linked.get('variables') } : {}),
    defaultHeaders: config.defaultHeaders,
    plugins: [examplesPlugin],
    defaultEditorToolsVisibility: 'headers',
  }),
);
