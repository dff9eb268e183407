import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { randomHex, randomString, LOWER_ALNUM } from '../common/ids.js';
import { projectNumber } from './ids.js';
import type { ProjectRole, StoredProject } from './store/control.repository.js';

/**
 * A service-account key file, as the Cloud console downloads it and as `credentials` of the
 * Google client libraries takes it.
 */
export interface ServiceAccountKey {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly auth_uri: string;
  readonly token_uri: string;
  readonly auth_provider_x509_cert_url: string;
  readonly client_x509_cert_url: string;
  readonly universe_domain: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

/** A project as the factory exposes it. */
export interface GcpProject {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly serviceAccountKey: ServiceAccountKey;
  /** An OAuth refresh token for the service account (grant_type=refresh_token at `/token`). */
  readonly refreshToken: string;
}

/**
 * A fresh project for `role`: `privlink-producer-xxxxxx`, a 12-digit number, an RSA-2048 key. A pool
 * project (`pool:<name>`) is named after `<name>` as a project id allows (lower-case letters, digits
 * and hyphens, at most 30 characters with the random suffix). The key is made on the thread pool:
 * an RSA-2048 key takes a tenth of a second or more of CPU, which must not stall the event loop.
 */
export async function newProject(role: ProjectRole): Promise<StoredProject> {
  const stem = role.startsWith('pool:') ? poolProjectStem(role.slice('pool:'.length)) : `privlink-${role}`;
  const projectId = `${stem}-${randomString(LOWER_ALNUM, 6)}`;
  const account = role.startsWith('pool:') ? 'privlink-pool' : `privlink-${role}`;
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    role,
    projectId,
    projectNumber: projectNumber(),
    clientEmail: `${account}@${projectId}.iam.gserviceaccount.com`,
    clientId: String(BigInt(`0x${randomHex(16)}`) % 10n ** 21n).padStart(21, '1'),
    privateKeyId: randomHex(40),
    privateKey,
    publicKey,
    refreshToken: `1//${randomBytes(48).toString('base64url')}`,
  };
}

/** The key file of a stored project; `token_uri` is the emulator's own token endpoint. */
export function serviceAccountKey(project: StoredProject, baseUrl: string): ServiceAccountKey {
  return {
    type: 'service_account',
    project_id: project.projectId,
    private_key_id: project.privateKeyId,
    private_key: project.privateKey,
    client_email: project.clientEmail,
    client_id: project.clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${baseUrl}/token`,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(project.clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
}

/** The first part of a pool project's id: the name in a project id's alphabet, starting with a letter, at most 23 characters. */
function poolProjectStem(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 23)
    .replace(/-+$/, '');
  return slug || 'privlink-pool';
}
