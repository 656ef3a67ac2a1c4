/**
 * Webview side of the typed message protocol (envelopes `{ id, inReplyTo?, body }`).
 * `acquireVsCodeApi()` is called exactly once, here.
 */
import type { Envelope, FromWebview, ToWebview } from '../../src/shared/protocol';

export type VsCodeApi = ReturnType<typeof acquireVsCodeApi>;

export class RpcError extends Error {}

export class Rpc {
  readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(m: ToWebview): void; reject(e: Error): void }>();
  private readonly listeners: ((m: ToWebview) => void)[] = [];

  constructor() {
    window.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
  }

  /** Unsolicited host messages (e.g. a refreshed model). */
  onMessage(fn: (m: ToWebview) => void): void {
    this.listeners.push(fn);
  }

  /** Fire-and-forget. */
  post(body: FromWebview): number {
    const id = this.nextId++;
    const env: Envelope<FromWebview> = { id, body };
    this.api.postMessage(env);
    return id;
  }

  /** Request/response: resolves with the host's reply (rejects on `{type:'error'}`). */
  request(body: FromWebview): Promise<ToWebview> {
    const id = this.nextId++;
    return new Promise<ToWebview>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const env: Envelope<FromWebview> = { id, body };
      this.api.postMessage(env);
    });
  }

  private receive(data: unknown): void {
    if (!data || typeof data !== 'object') return;
    const env = data as Partial<Envelope<ToWebview>>;
    const body = env.body;
    if (!body || typeof body !== 'object' || typeof (body as { type?: unknown }).type !== 'string') return;
    if (typeof env.inReplyTo === 'number') {
      const p = this.pending.get(env.inReplyTo);
      if (p) {
        this.pending.delete(env.inReplyTo);
        if (body.type === 'error') p.reject(new RpcError(body.message));
        else p.resolve(body);
        return;
      }
    }
    for (const l of this.listeners) l(body);
  }
}
