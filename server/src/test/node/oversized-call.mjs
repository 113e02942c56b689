// Calls create_migration with SQL over the server's 16 MiB line limit through the TypeScript MCP
// SDK's own stdio client, which writes a request's "id" last, after its params; then calls status
// to see that the server still serves. Prints one JSON line: how the big call ended and how long
// the answer took, so that a Java test can tell a refusal it can match from one it never gets.
//
// usage: node oversized-call.mjs <java> <jar> <safemigrate.toml> <working dir> [sql bytes] [client timeout ms]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';

const [java, jar, config, cwd, sqlBytes = '20000000', timeoutMs = '60000'] = process.argv.slice(2);
if (!cwd) {
  console.error('usage: node oversized-call.mjs <java> <jar> <safemigrate.toml> <working dir> [sql bytes] [client timeout ms]');
  process.exit(2);
}
const timeout = Number(timeoutMs);

const transport = new StdioClientTransport({
  command: java,
  args: ['-jar', jar, 'serve', '--config', config],
  cwd,
  stderr: 'inherit',
});
const client = new Client({ name: 'safemigrate-ts-sdk-test', version: '1.0.0' });
await client.connect(transport, { timeout: 60_000 });

const statement = 'insert into t values (1);\n';
const sql = statement.repeat(Math.ceil(Number(sqlBytes) / statement.length));

const started = performance.now();
const report = { sqlBytes: sql.length };
try {
  const result = await client.callTool({ name: 'create_migration', arguments: { name: 'huge', sql } }, undefined,
    { timeout });
  report.outcome = 'result';
  report.isError = result.isError ?? false;
} catch (e) {
  report.outcome = e?.code === ErrorCode.RequestTimeout ? 'timeout' : 'error';
  report.code = e?.code ?? null;
  report.message = String(e?.message ?? e);
}
report.ms = Math.round(performance.now() - started);

try {
  const status = await client.callTool({ name: 'status', arguments: {} }, undefined, { timeout: 30_000 });
  report.statusAfter = status.isError ? 'tool error' : 'ok';
} catch (e) {
  report.statusAfter = String(e?.message ?? e);
}

console.log(JSON.stringify(report));
await client.close();
