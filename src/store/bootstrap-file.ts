import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from './data-dir-permissions.js';

const BOOTSTRAP_FILE = 'bootstrap.json';

/** The contents of `<data-dir>/bootstrap.json` (mode 0600). */
export interface BootstrapFile {
  orgId: string;
  projectId: string;
  /** Added after the first release of the file; absent in files written before. */
  apiKeyId?: string;
  publicKey: string;
  privateKey: string;
  baseUrl: string;
  localCloud?: {
    endpoint: string;
    /** The customer account (its VPCs, subnets, endpoints): for `aws ec2 … --endpoint-url`. */
    customer: { accountId: string; accessKeyId: string; secretAccessKey: string };
    /** privlink's own provider account (load balancers, endpoint services), for inspection. */
    provider: { accountId: string; accessKeyId: string; secretAccessKey: string };
    /** The local cloud's Azure Resource Manager: endpoint and authority host at once, the CA that signs it, and two service principals. */
    azure?: {
      endpoint: string;
      caPath?: string;
      customer: { tenantId: string; subscriptionId: string; clientId: string; clientSecret: string };
      provider: { tenantId: string; subscriptionId: string; clientId: string; clientSecret: string };
    };
  };
}

export function bootstrapFilePath(dataDir: string): string {
  return join(dataDir, BOOTSTRAP_FILE);
}

/** The file, or null when there is none. Throws when it exists but is not JSON. */
export function readBootstrapFile(dataDir: string): BootstrapFile | null {
  const path = bootstrapFilePath(dataDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BootstrapFile) : null;
}

/**
 * Writes the file with mode 0600 from its first byte, atomically (a temporary file renamed over
 * it): a crash leaves the previous file or the new one, never half of one.
 */
export function writeBootstrapFile(dataDir: string, file: BootstrapFile): void {
  const path = bootstrapFilePath(dataDir);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, JSON.stringify(file, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
    chmodSync(temp, PRIVATE_FILE_MODE);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
