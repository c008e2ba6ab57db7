// Preloaded into each serve child (`node --import`): when the parent's end of stdin closes — the
// parent exited, crashed or was SIGKILLed — serve gets the SIGTERM it drains on, so no colour is left
// running as an orphan. serve itself stays free of local-only hooks.
process.stdin.on('close', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
