import { readFile } from 'node:fs/promises';

/**
 * Reads one item per line from a file, or from stdin for "-". Long input lists must not travel on the
 * command line: onnxruntime-node crashes in a process whose command line exceeds ~30 KB.
 */
export async function readList(
  source: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string[]> {
  const text = source === '-' ? await readStream(stdin) : await readFile(source, 'utf8');
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
