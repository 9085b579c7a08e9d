import * as net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** Messages after which a client waits for an answer: Sync, simple Query, Flush, Terminate, CopyDone, CopyFail. */
const BATCH_ENDS = new Set(['S', 'Q', 'H', 'X', 'c', 'f']);

interface Batch {
  connection: number;
  bytes: Uint8Array;
  /** Ended by Flush: the client is mid-way through an extended-protocol exchange and will go on up to Sync. */
  flushed: boolean;
  reply: (data: Uint8Array) => void;
  done: () => void;
}

/**
 * Serves one PGlite database to many Postgres clients. PGlite is a single session, so a client keeps it to itself
 * from its first message up to Sync (a Flush in between does not hand it over: the unnamed statement and portal of
 * two clients must never interleave), and for as long as it holds a transaction open.
 */
export class PgliteWireServer {
  private readonly server: net.Server;
  private readonly queue: Batch[] = [];
  private owner: number | null = null;
  private running = false;
  private nextId = 1;
  private readonly sockets = new Map<number, net.Socket>();

  constructor(
    private readonly db: PGlite,
    maxConnections = 64,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.maxConnections = maxConnections;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.values()) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: net.Socket) {
    const id = this.nextId++;
    this.sockets.set(id, socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let pending: Buffer[] = [];
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) continue;
          started = true;
          chain = chain.then(() => this.run(id, message, socket, false));
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const type = String.fromCharCode(buffer[0]);
        pending.push(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (BATCH_ENDS.has(type)) {
          const bytes = Buffer.concat(pending);
          pending = [];
          chain = chain.then(() => this.run(id, bytes, socket, type === 'H'));
          if (type === 'X') socket.end();
        }
      }
    });
    const release = () => {
      this.sockets.delete(id);
      void chain.then(() => this.abandon(id));
    };
    socket.on('close', release);
    socket.on('error', () => socket.destroy());
  }

  private run(connection: number, bytes: Uint8Array, socket: net.Socket, flushed: boolean): Promise<void> {
    return new Promise((done) => {
      this.queue.push({
        connection,
        bytes,
        flushed,
        done,
        reply: (data) => socket.writable && socket.write(data),
      });
      void this.drain();
    });
  }

  /** A client that leaves mid-transaction must not keep everyone else waiting. */
  private async abandon(connection: number) {
    if (this.owner !== connection) return;
    await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.drain();
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((b) => b.connection === this.owner);
        if (index < 0 || this.queue.length === 0) return;
        const [batch] = this.queue.splice(index, 1);
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(batch.bytes, { onRawData: batch.reply }),
          );
        } finally {
          this.owner = this.db.isInTransaction() || batch.flushed ? batch.connection : null;
          batch.done();
        }
      }
    } finally {
      this.running = false;
    }
  }
}
