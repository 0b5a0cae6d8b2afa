/**
 * The coordinator's side of a worker's control channel: one JSON object per line each way, one request at a time. The
 * worker is code under test, so every reply is validated by the caller and a worker that closes the channel, sends too
 * much or sends garbage fails the request instead of hanging it.
 */
import type { ChannelStream } from '../sandbox/types.js';

/** A snapshot of a large result is the biggest reply a worker sends. */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

export class ChannelClosed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelClosed';
  }
}

export class WorkerChannel {
  private buffer: Buffer[] = [];
  private buffered = 0;
  private pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  private closed: Error | undefined;

  constructor(private readonly stream: ChannelStream) {
    stream.on('data', (chunk: Uint8Array) => this.receive(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    stream.on('error', (error) => this.close(new ChannelClosed(`the worker's channel failed: ${error.message}`)));
    stream.on('close', () => this.close(new ChannelClosed('the worker ended')));
  }

  /** True once the worker ended or the channel failed. */
  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /** The next line the worker sends (its greeting), without sending anything first. */
  next(): Promise<unknown> {
    return this.wait();
  }

  request(message: object): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    const reply = this.wait();
    this.stream.write(`${JSON.stringify(message)}\n`);
    return reply;
  }

  close(reason: Error = new ChannelClosed('the channel was closed')): void {
    if (this.closed) return;
    this.closed = reason;
    this.pending?.reject(reason);
    this.pending = undefined;
    this.stream.destroy();
  }

  private wait(): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    const line = this.takeLine();
    if (line !== undefined) return Promise.resolve(this.parse(line)).catch((error: Error) => Promise.reject(error));
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  private parse(line: string): unknown {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`the worker sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > MAX_REPLY_BYTES) {
      this.close(new Error(`the worker sent more than ${MAX_REPLY_BYTES} bytes without a line end`));
      return;
    }
    if (!this.pending) return;
    const line = this.takeLine();
    if (line === undefined) return;
    const { resolve, reject } = this.pending;
    this.pending = undefined;
    try {
      resolve(this.parse(line));
    } catch (error) {
      reject(error as Error);
    }
  }

  private takeLine(): string | undefined {
    if (this.buffered === 0) return undefined;
    const all = this.buffer.length === 1 ? (this.buffer[0] as Buffer) : Buffer.concat(this.buffer, this.buffered);
    const end = all.indexOf(10);
    if (end < 0) {
      this.buffer = [all];
      return undefined;
    }
    const rest = all.subarray(end + 1);
    this.buffer = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, end).toString('utf8');
  }
}
