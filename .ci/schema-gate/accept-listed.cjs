// graphql-inspector diff rule: breaking changes accepted in schema/CHANGELOG.md (section
// "## Unreleased", lines "- BREAKING <TYPE> `<path>`: why") become dangerous; the others stay
// breaking and fail the diff. SCHEMA_CHANGELOG overrides the changelog's path.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const LINE = /^\s*-\s+BREAKING\s+([A-Z_]+)\s+`([^`]+)`\s*:\s*\S/;

function accepted(file) {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const start = text.search(/^## Unreleased\s*$/m);
  if (start < 0) return new Set();
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex(l => l.startsWith('## '));
  const section = end < 0 ? rest : rest.slice(0, end);
  return new Set(section.map(l => LINE.exec(l)).filter(Boolean).map(m => `${m[1]} ${m[2]}`));
}

module.exports = function acceptListed({ changes }) {
  const file = process.env.SCHEMA_CHANGELOG || join(__dirname, '..', '..', 'schema', 'CHANGELOG.md');
  const ok = accepted(file);
  return changes.map(change => {
    if (change.criticality.level !== 'BREAKING') return change;
    if (ok.has(`${change.type} ${change.path}`)) {
      return {
        ...change,
        message: `${change.message} (accepted in schema/CHANGELOG.md)`,
        criticality: { ...change.criticality, level: 'DANGEROUS' },
      };
    }
    return {
      ...change,
      message: `${change.message} — not in schema/CHANGELOG.md; to accept it, add under "## Unreleased": - BREAKING ${change.type} \`${change.path}\`: <why>`,
    };
  });
};
