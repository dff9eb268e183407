import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../../framework/cli-errors.js';

/**
 * `<data-dir>/bootstrap.json`, written by `privlink serve` on its first start: the organization,
 * project and API key it created, and the local cloud's endpoint and customer credentials.
 */
export interface BootstrapFile {
  readonly orgId?: string;
  readonly projectId?: string;
  readonly publicKey?: string;
  readonly privateKey?: string;
  readonly baseUrl?: string;
  /** Where the private DNS answers (UDP and TCP). */
  readonly dns?: { readonly host?: string; readonly port?: number };
  readonly localCloud?: {
    readonly endpoint?: string;
    readonly customer?: { readonly accessKeyId?: string; readonly secretAccessKey?: string };
    /** The local cloud's Azure Resource Manager (endpoint and authority host), its CA, and the customer's service principal. */
    readonly azure?: { readonly endpoint?: string; readonly caPath?: string; readonly customer?: AzurePrincipalFile };
    /** The local cloud's Compute Engine (`http://host:port`), the customer's project and its service-account key file. */
    readonly gcp?: { readonly endpoint?: string; readonly projectId?: string; readonly keyFile?: string; readonly producerProjectId?: string };
  };
}

/** A service principal of the local cloud's Azure, as bootstrap.json holds it. */
export interface AzurePrincipalFile {
  readonly tenantId?: string;
  readonly subscriptionId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

export function readBootstrapFile(dataDir: string): BootstrapFile {
  const path = join(dataDir, 'bootstrap.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BootstrapFile;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (has `privlink serve` run with this --data-dir?)' : (error as Error).message;
    throw new CliError(`cannot read ${path}: ${reason}`);
  }
}
