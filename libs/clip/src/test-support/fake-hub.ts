import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface FakeHubOptions {
  /** Repo id → folder on disk served as that repo's `main` revision. */
  repos: Record<string, string>;
  /** When set, every hub request must carry `Authorization: Bearer <token>`, else 401. */
  token?: string;
  /** Tree entries per page; the real hub pages at 1000 and links the next page in a Link header. */
  pageSize?: number;
}

export interface FakeHubRequest {
  method: string;
  /** URL path without the query. */
  path: string;
  range?: string;
  authorization?: string;
}

/** An HTTP status for the resolve request, or a body that breaks off halfway or has a flipped byte. */
export type FakeHubFault = number | 'drop-mid-body' | 'corrupt';

export interface FakeHub {
  url: string;
  requests: FakeHubRequest[];
  /** The next request for this repo file (e.g. `onnx/text_model.onnx`) suffers the fault. */
  failOnce(file: string, fault: FakeHubFault): void;
  close(): Promise<void>;
}

interface RepoFile {
  path: string;
  disk: string;
  size: number;
  /** Sha1 of the git blob the tree lists: the file itself, or for LFS its pointer file. */
  oid: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

interface RepoTree {
  files: Map<string, RepoFile>;
  directories: string[];
}

/**
 * A Hugging Face Hub on 127.0.0.1 for tests: the tree API that @huggingface/hub's listFiles reads
 * (paged by Link header) and `/{repo}/resolve/{rev}/{path}` with Range support. Like the real hub,
 * *.onnx files are LFS: resolve redirects them to a presigned CDN URL that needs no token.
 */
export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: FakeHubRequest[] = [];
  const faults = new Map<string, FakeHubFault>();
  const trees = new Map<string, Promise<RepoTree>>();
  const cdn = new Map<string, RepoFile>();
  const pageSize = options.pageSize ?? 1000;
  let base = '';

  const tree = (repo: string): Promise<RepoTree> => {
    let pending = trees.get(repo);
    if (!pending) {
      pending = indexRepo(options.repos[repo]!).then((t) => {
        for (const file of t.files.values()) if (file.lfs) cdn.set(file.lfs.oid, file);
        return t;
      });
      trees.set(repo, pending);
    }
    return pending;
  };

  const takeFault = (file: RepoFile, kinds: 'status' | 'body'): FakeHubFault | undefined => {
    const fault = faults.get(file.path);
    if (fault === undefined || (typeof fault === 'number') !== (kinds === 'status')) return undefined;
    faults.delete(file.path);
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const cdnMatch = /^\/cdn-lfs\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdnMatch) {
      // Signed URL: like the real CDN it needs no token (fetch drops Authorization across origins).
      const file = cdn.get(cdnMatch[1]!);
      if (!file) return json(res, 404, { error: 'Not found' });
      return serveFile(req, res, file, takeFault(file, 'body'));
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`)
      return json(res, 401, { error: 'Invalid credentials in Authorization header' });

    const api = url.pathname.startsWith('/api/models/');
    const rest = url.pathname.slice(api ? '/api/models/'.length : 1);
    const verb = api ? 'tree' : 'resolve';
    const repo = Object.keys(options.repos).find((r) => rest.startsWith(`${r}/${verb}/`));
    if (!repo) return json(res, 404, { error: 'Repository not found' }, 'RepoNotFound');
    const [revision = '', ...pathParts] = rest.slice(`${repo}/${verb}/`.length).split('/');
    if (decodeURIComponent(revision) !== 'main')
      return json(res, 404, { error: `Invalid rev id: ${revision}` }, 'RevisionNotFound');
    const path = pathParts.map(decodeURIComponent).join('/');
    const { files, directories } = await tree(repo);

    if (api) {
      const recursive = url.searchParams.get('recursive') === 'true';
      const prefix = path === '' ? '' : `${path}/`;
      const inScope = (p: string): boolean =>
        p.startsWith(prefix) && (recursive || !p.slice(prefix.length).includes('/'));
      const entries = [
        ...directories.filter(inScope).map((d) => ({ type: 'directory', oid: gitSha1(d), size: 0, path: d })),
        ...[...files.values()]
          .filter((f) => inScope(f.path))
          .map((f) => ({
            type: 'file',
            oid: f.oid,
            size: f.size,
            ...(f.lfs ? { lfs: f.lfs } : {}),
            path: f.path,
          })),
      ].sort((a, b) => a.path.localeCompare(b.path));
      const start = Number(url.searchParams.get('cursor') ?? 0);
      if (start + pageSize < entries.length) {
        const next = new URL(url);
        next.searchParams.set('cursor', String(start + pageSize));
        res.setHeader('Link', `<${next.href}>; rel="next"`);
      }
      return json(res, 200, entries.slice(start, start + pageSize));
    }

    const file = files.get(path);
    if (!file) return json(res, 404, { error: 'Entry not found' }, 'EntryNotFound');
    const status = takeFault(file, 'status');
    if (typeof status === 'number') return json(res, status, { error: 'Injected failure' });
    if (file.lfs) {
      res.writeHead(302, { Location: `/cdn-lfs/${file.lfs.oid}`, 'X-Linked-Size': String(file.size) });
      return void res.end();
    }
    return serveFile(req, res, file, takeFault(file, 'body'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    failOnce: (file, fault) => void faults.set(file, fault),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Reads a folder into the listing the hub would give for it, with real hashes. */
async function indexRepo(folder: string): Promise<RepoTree> {
  const files = new Map<string, RepoFile>();
  const directories: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(folder, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        directories.push(path);
        await walk(path);
        continue;
      }
      const disk = join(folder, path);
      const content = await readFile(disk);
      if (!path.endsWith('.onnx')) {
        files.set(path, { path, disk, size: content.length, oid: gitSha1(content) });
        continue;
      }
      const sha256 = createHash('sha256').update(content).digest('hex');
      const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${content.length}\n`;
      files.set(path, {
        path,
        disk,
        size: content.length,
        oid: gitSha1(pointer),
        lfs: { oid: sha256, size: content.length, pointerSize: Buffer.byteLength(pointer) },
      });
    }
  };
  await walk('');
  return { files, directories };
}

async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: RepoFile,
  fault: FakeHubFault | undefined,
): Promise<void> {
  const content = await readFile(file.disk);
  if (fault === 'corrupt') content[content.length >> 1] = content[content.length >> 1]! ^ 0xff;
  const headers = { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes' };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  let body = content;
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : content.length - 1, content.length - 1);
    if (start >= content.length) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${content.length}` });
      return void res.end();
    }
    body = content.subarray(start, end + 1);
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${content.length}`,
      'Content-Length': body.length,
    });
  } else {
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
  }
  if (req.method === 'HEAD') return void res.end();
  // Half the body, then the socket closes under it: the client sees a short read mid-transfer.
  if (fault === 'drop-mid-body')
    return void res.write(body.subarray(0, body.length >> 1), () => res.destroy());
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown, errorCode?: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    ...(errorCode ? { 'X-Error-Code': errorCode } : {}),
  });
  res.end(JSON.stringify(body));
}

function gitSha1(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
