import { startServer, type ServerProcess } from './server-process.js';

/**
 * What the crash tests share: a privlink server process killed at an injected point
 * (`PRIVLINK_TEST_CRASH_AT`), awaited, and restarted on the same store and data directory with
 * short leases and a short not-found grace, so the restarted process takes over at once.
 */
export const FAST_RECOVERY_ENV = { PRIVLINK_RECONCILER_LEASE_MS: '1500', PRIVLINK_ENDPOINT_NOT_FOUND_GRACE_MS: '500' };

/** Resolves with the signal that ended the server (SIGKILL at a crash point); rejects when it did not die in time. */
export async function waitForDeath(server: ServerProcess, timeoutMs = 30_000): Promise<NodeJS.Signals | null> {
  const result = await Promise.race([
    server.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the server did not crash:\n${server.output()}`)), timeoutMs)),
  ]);
  return result.signal;
}

/** Starts a server on the crashed one's store and data directory (with FAST_RECOVERY_ENV and `env`). */
export function restart(crashed: ServerProcess, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer({ location: crashed.location, dataDir: crashed.dataDir, env: { ...FAST_RECOVERY_ENV, ...env } });
}
