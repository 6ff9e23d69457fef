import { constants } from "node:fs";
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { open } from "node:fs/promises";

export type RegularFileRead =
  | { kind: "read"; size: number; bytes: Uint8Array }
  | { kind: "too-large"; size: number }
  /** A symbolic link, FIFO, socket, device or folder: described, never read. */
  | { kind: "not-regular"; what: string }
  /** Could not be opened or read (permissions, a race with a deletion): why, for a diagnostic. */
  | { kind: "unreadable"; reason: string };

// O_NOFOLLOW: a link is not followed (opening it fails with ELOOP). O_NONBLOCK: opening a FIFO
// returns at once instead of waiting for a writer, so a FIFO is found by fstat, never read. Both
// checks are made on the open handle, so the file cannot be swapped between the check and the read.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file only when it is a regular file within `limit` bytes. Never follows a link, never
 * blocks on a FIFO or device, never throws: every other outcome is described for a diagnostic.
 */
export async function readRegularFile(full: string, limit: number): Promise<RegularFileRead> {
  let handle;
  try {
    handle = await open(full, FLAGS);
  } catch (error) {
    return openFailure(error);
  }
  try {
    const info = await handle.stat();
    return refusal(info, limit) ?? readOf(new Uint8Array(await handle.readFile()), limit);
  } catch (error) {
    return { kind: "unreadable", reason: describeError(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * readRegularFile, synchronously: for reading a file again where an answer is needed at once (the
 * position of a finding in a record whose text was let go).
 */
export function readRegularFileSync(full: string, limit: number): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(full, FLAGS);
  } catch (error) {
    return openFailure(error);
  }
  try {
    return refusal(fstatSync(fd), limit) ?? readOf(new Uint8Array(readFileSync(fd)), limit);
  } catch (error) {
    return { kind: "unreadable", reason: describeError(error) };
  } finally {
    closeSync(fd);
  }
}

function openFailure(error: unknown): RegularFileRead {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ELOOP" || code === "EMLINK")
    return { kind: "not-regular", what: "a symbolic link" };
  return { kind: "unreadable", reason: describeError(error) };
}

/** Why an opened file is not read, from its fstat; undefined when it is read. */
function refusal(info: Stats, limit: number): RegularFileRead | undefined {
  if (!info.isFile()) return { kind: "not-regular", what: describeType(info) };
  if (info.size > limit) return { kind: "too-large", size: info.size };
  return undefined;
}

function readOf(bytes: Uint8Array, limit: number): RegularFileRead {
  // The file may have grown since fstat: the limit holds for what was read.
  if (bytes.length > limit) return { kind: "too-large", size: bytes.length };
  return { kind: "read", size: bytes.length, bytes };
}

function describeType(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
  isSymbolicLink(): boolean;
}): string {
  if (info.isSymbolicLink()) return "a symbolic link";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isSocket()) return "a socket";
  if (info.isBlockDevice() || info.isCharacterDevice()) return "a device";
  if (info.isDirectory()) return "a folder";
  return "not a regular file";
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "it disappeared while being read";
  if (code === "EISDIR") return "it is a folder";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** What lstat says a path is, for paths found by listing a folder. */
export { describeType };

/** The file's text when it is a regular, readable file within `limit` bytes; otherwise undefined. */
export async function readTextIfRegular(full: string, limit: number): Promise<string | undefined> {
  const read = await readRegularFile(full, limit);
  return read.kind === "read" ? new TextDecoder().decode(read.bytes) : undefined;
}
