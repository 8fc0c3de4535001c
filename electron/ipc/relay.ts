import { isReply, isRequest, type Reply, type Request, type Transport } from './protocol.ts';

/** One window (an Electron webContents) as the relay sees it. */
export interface RelayClient {
  id: number;
  send(reply: Reply): void;
}

/**
 * The main process's part: it passes each window's calls to the engine process and the answers back to the window
 * that asked, prefixing call ids with the window's id so that two windows never mix their calls. A window that goes
 * away has its running calls cancelled.
 */
export class Relay {
  private readonly engine: Transport<Request, unknown>;
  private readonly clients = new Map<number, RelayClient>();
  private readonly running = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(engine: Transport<Request, unknown>) {
    this.engine = engine;
    this.unsubscribe = engine.subscribe((m) => {
      if (!isReply(m)) return;
      const sep = m.id.indexOf(':');
      const clientId = Number(m.id.slice(0, sep));
      const client = this.clients.get(clientId);
      if (m.kind !== 'progress') this.running.delete(m.id);
      client?.send({ ...m, id: m.id.slice(sep + 1) } as Reply);
    });
  }

  /** A request from a window; anything that is not a well-formed request is dropped. */
  fromClient(client: RelayClient, message: unknown): void {
    if (!isRequest(message)) return;
    this.clients.set(client.id, client);
    const id = `${client.id}:${message.id}`;
    if (message.kind === 'call') {
      this.running.set(id, client.id);
      this.engine.send({ kind: 'call', id, method: message.method, input: message.input });
    } else {
      this.engine.send({ kind: 'cancel', id });
    }
  }

  disconnect(clientId: number): void {
    this.clients.delete(clientId);
    for (const [id, owner] of this.running) {
      if (owner !== clientId) continue;
      this.running.delete(id);
      this.engine.send({ kind: 'cancel', id });
    }
  }

  /** The engine process died: every window gets an error for each call it was waiting on. */
  engineGone(message: string): void {
    for (const [id, owner] of this.running) {
      this.clients.get(owner)?.send({ kind: 'error', id: id.slice(id.indexOf(':') + 1), error: { code: 'unavailable', message, details: [] } });
    }
    this.running.clear();
  }

  close(): void {
    this.unsubscribe();
  }
}
