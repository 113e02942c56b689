// The start baseline: a minimal MCP server on the official TypeScript SDK, one tool, stdio.
// bench/common.sh installs @modelcontextprotocol/sdk beside a copy of this file in bench/.work/node.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "minimal", version: "1.0.0" });
server.tool("ping", "answers pong", async () => ({ content: [{ type: "text", text: "pong" }] }));
await server.connect(new StdioServerTransport());
