import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from './data-dir-permissions.js';

const BOOTSTRAP_FILE = 'bootstrap.json';
const GCP_KEY_FILES = { customer: 'gcp-customer.json', producer: 'gcp-producer.json' } as const;

/** The contents of `<data-dir>/bootstrap.json` (mode 0600). */
export interface BootstrapFile {
  orgId: string;
  projectId: string;
  /** Added after the first release of the file; absent in files written before. */
  apiKeyId?: string;
  publicKey: string;
  privateKey: string;
  baseUrl: string;
  /**
   * Where this installation's private DNS answers (UDP and TCP), for `dig @host -p port`, a
   * resolver's split-DNS forwarding, or the driver's `dns.setServers`. Added after the first
   * release of the file; absent in files written before.
   */
  dns?: { host: string; port: number };
  /**
   * With the local cloud: where the simulated App Services front end answers clients outside any
   * VPC (its public side; inside a VPC, clients reach it through their private endpoints). Added
   * after the first release of the file; absent in files written before.
   */
  appServices?: { public: { host: string; port: number } };
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
    /**
     * The local cloud's Compute Engine (`http://host:port`, for the Google clients' `apiEndpoint`,
     * `port` and `protocol: 'http'`): the customer's project, its service-account key file
     * (`<data-dir>/gcp-customer.json`, 0600) and privlink's own producer project with its key file
     * (`<data-dir>/gcp-producer.json`, 0600; for inspection, as `provider` above).
     */
    gcp?: {
      endpoint: string;
      projectId: string;
      keyFile: string;
      producerProjectId: string;
      /** Added after the first release of the field; absent in files written before. */
      producerKeyFile?: string;
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
  writePrivateFile(bootstrapFilePath(dataDir), JSON.stringify(file, null, 2) + '\n');
}

/** Where the local cloud's GCP customer (or producer) key file lives in a data directory. */
export function gcpKeyPath(dataDir: string, project: 'customer' | 'producer' = 'customer'): string {
  return join(dataDir, GCP_KEY_FILES[project]);
}

/**
 * Writes `<data-dir>/gcp-customer.json` (or `gcp-producer.json`): a local cloud project's
 * service-account key, as the Cloud console downloads a key file (for
 * GOOGLE_APPLICATION_CREDENTIALS). Mode 0600, atomic, as bootstrap.json. Returns its path.
 */
export function writeGcpKey(dataDir: string, project: 'customer' | 'producer', key: object): string {
  const path = gcpKeyPath(dataDir, project);
  writePrivateFile(path, JSON.stringify(key, null, 2) + '\n');
  return path;
}

/** Writes `contents` to `path` with mode 0600 from its first byte, through a temporary file renamed over it. */
function writePrivateFile(path: string, contents: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, contents, { mode: PRIVATE_FILE_MODE });
    chmodSync(temp, PRIVATE_FILE_MODE);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
