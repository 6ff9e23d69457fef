import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** The request body as text (GitHub's API limit is well below the cap). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body; undefined when empty, a SyntaxError when malformed. */
export function parseJson(text: string): unknown {
  return text.trim() === "" ? undefined : JSON.parse(text);
}

/** Sends a JSON response with GitHub's usual headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = status === 204 || body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
