import type { ChildProcessByStdio, SpawnOptions } from "node:child_process";
import type { Readable, Writable } from "node:stream";

import type { Transport } from "../runtime/client.js";

/** Options of the line readers. */
export interface LineOptions {
  /** The largest line read, in UTF-8 bytes (default 16 MiB); a longer one is skipped. */
  maxLineBytes?: number;
  /** Told the size of each line skipped for its length. */
  onSkipped?: (bytes: number) => void;
}

/**
 * The lines of a byte stream, without their line ends (empty lines skipped), pulled: while the
 * next line is not asked for, the stream is paused.
 */
export declare function readLines(readable: AsyncIterable<Uint8Array | string>, options?: LineOptions): AsyncGenerator<string, void, undefined>;

/**
 * A `Transport` of JSON Lines over `readable` (what the server writes) and `writable` (what it
 * reads). Sending waits for `drain`; closing ends `writable`.
 */
export declare function streamTransport(readable: Readable, writable: Writable, options?: LineOptions): Transport;

/** Options of `spawnTransport`: `child_process.spawn`'s (but `stdio`), and the line options. */
export interface SpawnTransportOptions extends Omit<SpawnOptions, "stdio">, LineOptions {
  /** The child's stderr: inherited (the default), ignored, or a pipe. */
  stderr?: "inherit" | "ignore" | "pipe";
  /** After the transport closes, the child is killed if it has not exited within this many milliseconds (default 5000). */
  killAfterMs?: number;
}

/** A started child and the transport over its stdio. */
export interface SpawnedTransport {
  /** The transport: JSON Lines over the child's stdin and stdout. */
  transport: Transport;
  /** The child process. */
  child: ChildProcessByStdio<Writable, Readable, Readable | null>;
  /** Settles when the child has exited (or could not start: `error`). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
}

/**
 * Starts `command` (e.g. `codex` with `["app-server"]`) and returns a transport over its stdio.
 * Closing the transport ends the child's input; it is killed if it does not exit in time.
 */
export declare function spawnTransport(command: string, args?: readonly string[], options?: SpawnTransportOptions): SpawnedTransport;
