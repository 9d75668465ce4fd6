/**
 * A local Coursera enterprise API: the client-credentials token endpoint and `enrollmentReports`
 * with start/limit paging, shaped like ../fixtures/coursera/api_enrollmentReports_page.json.
 * Paging variants (next as string or number, total present or missing), injected 429/5xx, token
 * expiry and bad credentials are switches on the instance.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CourseraFault {
  status: number;
  retryAfter?: number;
  path?: 'token' | 'reports';
  times?: number;
}

export class FakeCourseraServer {
  elements: Record<string, unknown>[] = [];
  clientId = 'client-id';
  clientSecret = 'client-secret';
  orgId = 'org-1';
  nextAs: 'string' | 'number' = 'string';
  withTotal = true;
  /** Largest page the server returns whatever `limit` says. */
  maxLimit = 1000;
  /** Tokens handed out; a request must carry the latest one. */
  issued: string[] = [];
  readonly requests: { path: string; query: Record<string, string>; auth?: string; body?: string }[] = [];
  private faults: (CourseraFault & { times: number })[] = [];
  private server!: http.Server;
  baseUrl = '';

  static async start(): Promise<FakeCourseraServer> {
    const self = new FakeCourseraServer();
    self.server = http.createServer((req, res) => void self.handle(req, res));
    await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
    self.baseUrl = `http://127.0.0.1:${(self.server.address() as AddressInfo).port}`;
    return self;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections?.();
      this.server.close(() => r());
    });
  }

  inject(f: CourseraFault): void {
    this.faults.push({ ...f, times: f.times ?? 1 });
  }

  /** The current token stops working (as after its 30 minutes). */
  expireTokens(): void {
    this.issued = this.issued.map((t) => `${t}-expired`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const c of req) body += c;
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const kind = url.pathname === '/oauth2/client_credentials/token' ? 'token' : 'reports';
    this.requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: req.headers.authorization,
      body,
    });
    const fault = this.faults.find((f) => f.times > 0 && (!f.path || f.path === kind));
    if (fault) {
      fault.times--;
      return send(
        fault.status,
        { errorCode: fault.status === 429 ? 'TooManyRequests' : 'InternalError', message: 'injected' },
        fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      );
    }
    if (kind === 'token') {
      if (req.method !== 'POST') return send(405, { message: 'POST only' });
      const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected)
        return send(401, { errorCode: 'invalid_client', message: 'Client authentication failed' });
      if (
        !/application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '') ||
        new URLSearchParams(body).get('grant_type') !== 'client_credentials'
      ) {
        return send(400, { errorCode: 'unsupported_grant_type' });
      }
      const token = `tok-${this.issued.length + 1}`;
      this.issued.push(token);
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: 1800 });
    }
    const m = /^\/ent\/api\/businesses\.v1\/([^/]+)\/enrollmentReports$/.exec(url.pathname);
    if (!m) return send(404, { errorCode: 'NotFound', message: `no route ${url.pathname}` });
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || token !== this.issued[this.issued.length - 1])
      return send(401, { errorCode: 'Unauthorized', message: 'Invalid or expired access token' });
    if (decodeURIComponent(m[1]) !== this.orgId)
      return send(404, { errorCode: 'NotFound', message: `No business with id ${m[1]}` });
    const start = Number(url.searchParams.get('start') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), this.maxLimit);
    const elements = this.elements.slice(start, start + limit);
    const end = start + elements.length;
    const paging: Record<string, unknown> = {};
    if (end < this.elements.length) paging.next = this.nextAs === 'string' ? String(end) : end;
    if (this.withTotal) paging.total = this.elements.length;
    send(200, { elements, paging, linked: {} });
  }
}
