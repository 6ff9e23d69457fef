/**
 * Whether a process of this machine still runs: signal 0 checks without sending anything. Used to
 * take over at once what a killed process held (a lock, a journal, a claim) instead of waiting.
 */
export function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
