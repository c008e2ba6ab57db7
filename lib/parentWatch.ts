// Resolves when the process that started this one has gone: the kernel re-parents an orphan (to init
// or a subreaper), so `process.ppid` changes. Commands that own child processes stop on it, so a killed
// `npm` (whose `sh -c` dies without passing the signal on) or a killed terminal never orphans them.

/** The reason a command's stop promise resolves with when its parent went away. */
export const PARENT_EXIT = 'parent-exit';

export function parentExit(intervalMs = 500): Promise<string> {
  const first = process.ppid;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === first) return;
      clearInterval(timer);
      resolve(PARENT_EXIT);
    }, intervalMs);
    // The watch alone never keeps a finished command alive.
    timer.unref();
  });
}
