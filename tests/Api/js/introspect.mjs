// Does what codegen-from-URL tools do: send graphql-js's full introspection query to a running
// API, build a client schema from the answer and compare it with the committed SDL file.
// Usage: node introspect.mjs <graphql-url> <schema.graphql>   (prints one JSON object)
import { readFileSync } from 'node:fs';
import {
  buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema,
} from 'graphql';

const [url, schemaFile] = process.argv.slice(2);
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query, operationName: 'IntrospectionQuery' }),
});
const text = await response.text();
let body;
try {
  body = JSON.parse(text);
} catch {
  console.log(JSON.stringify({ status: response.status, errors: [{ message: 'not JSON: ' + text.slice(0, 500) }] }));
  process.exit(0);
}
const report = { status: response.status, errors: body.errors ?? null };
if (body.data) {
  const fromUrl = buildClientSchema(body.data);
  const fromFile = buildSchema(readFileSync(schemaFile, 'utf8'));
  const a = printSchema(lexicographicSortSchema(fromUrl));
  const b = printSchema(lexicographicSortSchema(fromFile));
  report.identical = a === b;
  report.types = Object.keys(fromUrl.getTypeMap()).filter(t => !t.startsWith('__')).length;
  report.description = fromUrl.description ?? null;
  report.directives = body.data.__schema.directives.map(d => ({ name: d.name, isRepeatable: d.isRepeatable }));
  if (!report.identical) {
    const al = a.split('\n'), bl = b.split('\n');
    const i = al.findIndex((l, k) => l !== bl[k]);
    report.firstDifference = { line: i + 1, fromUrl: al.slice(i, i + 3), fromFile: bl.slice(i, i + 3) };
  }
}
console.log(JSON.stringify(report));
