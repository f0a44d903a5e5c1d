// Validates docs/asyncapi.yaml with the AsyncAPI parser (the one AsyncAPI's own tools use), resolving its
// references into openapi.json, and checks that every `pattern` in the OpenAPI document is a valid ECMA-262
// regular expression (as JSON Schema requires); exits non-zero on any error.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Parser, fromFile } from '@asyncapi/parser';

const asyncapiPath = path.resolve(process.argv[2] ?? '../../docs/asyncapi.yaml');
const openapiPath = path.resolve(process.argv[3] ?? path.join(path.dirname(asyncapiPath), 'openapi.json'));

const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, asyncapiPath).parse();
// Severity 0 is an error; warnings (1) and hints are printed but do not fail the check.
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  const where = d.path?.length ? ` at ${d.path.join('.')}` : '';
  console.log(`${d.severity === 0 ? 'error' : 'warning'}: ${d.message}${where}`);
}
if (!document || errors.length > 0) {
  console.error(`${path.basename(asyncapiPath)}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(
  `${path.basename(asyncapiPath)}: valid AsyncAPI ${document.version()}, ` +
    `${document.allMessages().length} messages in ${document.allChannels().length} channels`,
);

const bad = [];
const walk = (node, at) => {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, `${at}/${i}`));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') {
        try {
          new RegExp(value, 'u');
        } catch (e) {
          bad.push(`${at}/pattern: ${e.message}`);
        }
      } else {
        walk(value, `${at}/${key}`);
      }
    }
  }
};
walk(JSON.parse(await readFile(openapiPath, 'utf8')), '');
if (bad.length > 0) {
  console.error(`${path.basename(openapiPath)}: patterns that are not ECMA-262 regular expressions:\n${bad.join('\n')}`);
  process.exit(1);
}
console.log(`${path.basename(openapiPath)}: every pattern is an ECMA-262 regular expression`);
