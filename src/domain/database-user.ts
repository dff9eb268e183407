import { apiError } from './errors.js';
import { isPreparablePassword, type ScramCredentials } from './scram.js';

/**
 * Database users (Atlas: `CloudDatabaseUser`, "Create a MongoDB User"): a project-wide MongoDB user
 * that authenticates with SCRAM against `admin`, with roles as `{roleName, databaseName}` pairs and
 * optional `scopes` naming the clusters it may use (none: every cluster of the project).
 * The password is never stored: only the SCRAM credentials derived from it (domain/scram.ts).
 */

/** Atlas's built-in roles (`DatabaseUserRole.roleName`). */
export const DATABASE_USER_ROLES = [
  'atlasAdmin',
  'backup',
  'clusterMonitor',
  'dbAdmin',
  'dbAdminAnyDatabase',
  'enableSharding',
  'read',
  'readAnyDatabase',
  'readWrite',
  'readWriteAnyDatabase',
] as const;
export type DatabaseUserRoleName = (typeof DATABASE_USER_ROLES)[number];

/** Roles that apply to the whole deployment: Atlas grants them on `admin` only. */
const ADMIN_ONLY_ROLES = new Set<string>(['atlasAdmin', 'backup', 'clusterMonitor', 'dbAdminAnyDatabase', 'enableSharding', 'readAnyDatabase', 'readWriteAnyDatabase']);
/** Roles that may be narrowed to one collection. */
const COLLECTION_ROLES = new Set<string>(['read', 'readWrite']);

export interface DatabaseUserRole {
  readonly roleName: DatabaseUserRoleName;
  readonly databaseName: string;
  readonly collectionName?: string;
}

export type DatabaseUserScopeType = 'CLUSTER' | 'DATA_LAKE' | 'STREAM';

export interface DatabaseUserScope {
  readonly name: string;
  readonly type: DatabaseUserScopeType;
}

export interface DatabaseUserLabel {
  readonly key: string;
  readonly value: string;
}

/** What the API lets a caller choose about a user (the password only as derived credentials). */
export interface DatabaseUserSpec {
  readonly roles: readonly DatabaseUserRole[];
  readonly scopes: readonly DatabaseUserScope[];
  readonly labels: readonly DatabaseUserLabel[];
  readonly description?: string;
  readonly deleteAfterDate?: Date;
}

export interface DatabaseUserRecord {
  readonly id: string;
  readonly projectId: string;
  /** Always `admin`: privlink's users authenticate with SCRAM. */
  readonly databaseName: 'admin';
  readonly username: string;
  readonly spec: DatabaseUserSpec;
  readonly credentials: ScramCredentials;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A create request, validated: the password still in clear (the use case derives credentials and drops it). */
export interface DatabaseUserCreate {
  readonly username: string;
  readonly password: string;
  readonly spec: DatabaseUserSpec;
}

/** A PATCH, validated: only the fields sent. */
export interface DatabaseUserChanges {
  readonly password?: string;
  readonly roles?: readonly DatabaseUserRole[];
  readonly scopes?: readonly DatabaseUserScope[];
  readonly labels?: readonly DatabaseUserLabel[];
  readonly description?: string;
  readonly deleteAfterDate?: Date | null;
}

export const MAX_DATABASE_USERS_PER_PROJECT = 100;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;
const MAX_USERNAME = 1024;
const MAX_DESCRIPTION = 100;
const MAX_LABEL_TEXT = 255;
const SCOPE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
/** Atlas: "You must specify a future date that falls within one week of making the API request." */
const MAX_DELETE_AFTER_MS = 7 * 24 * 3600 * 1000;
const OTHER_AUTH_TYPES = ['awsIAMType', 'ldapAuthType', 'oidcAuthType', 'x509Type'] as const;

/**
 * Validates `POST /groups/{groupId}/databaseUsers`. Throws the Atlas error for the first problem:
 * MISSING_ATTRIBUTE, INVALID_ATTRIBUTE, INVALID_ENUM_VALUE, DATABASE_USER_INVALID_ROLE, or
 * DATABASE_USER_AUTH_TYPE_UNSUPPORTED for an authentication method other than SCRAM.
 */
export function parseDatabaseUserCreate(body: unknown, projectId: string, now: Date): DatabaseUserCreate {
  const input = objectOf(body, 'body');
  checkScramOnly(input);
  if (input.groupId !== undefined && input.groupId !== projectId) throw apiError('INVALID_ATTRIBUTE', 'groupId');
  const databaseName = input.databaseName ?? 'admin';
  if (databaseName !== 'admin') throw apiError('INVALID_ENUM_VALUE', databaseName, 'databaseName');
  if (input.username === undefined || input.username === null) throw apiError('MISSING_ATTRIBUTE', 'username');
  const username = parseUsername(input.username);
  if (input.password === undefined || input.password === null) throw apiError('MISSING_ATTRIBUTE', 'password');
  const password = parsePassword(input.password);
  if (input.roles === undefined || input.roles === null) throw apiError('MISSING_ATTRIBUTE', 'roles');
  const roles = parseRoles(input.roles);
  return {
    username,
    password,
    spec: {
      roles,
      scopes: input.scopes === undefined || input.scopes === null ? [] : parseScopes(input.scopes),
      labels: input.labels === undefined || input.labels === null ? [] : parseLabels(input.labels),
      ...(input.description !== undefined && input.description !== null ? { description: parseDescription(input.description) } : {}),
      ...(input.deleteAfterDate !== undefined && input.deleteAfterDate !== null ? { deleteAfterDate: parseDeleteAfter(input.deleteAfterDate, now) } : {}),
    },
  };
}

/**
 * Validates `PATCH /groups/{groupId}/databaseUsers/admin/{username}`: any of `password`, `roles`,
 * `scopes`, `labels`, `description`, `deleteAfterDate` (null clears it). `username` and
 * `databaseName` may be repeated but not changed (INVALID_ATTRIBUTE).
 */
export function parseDatabaseUserUpdate(body: unknown, current: { username: string; projectId: string }, now: Date): DatabaseUserChanges {
  const input = objectOf(body, 'body');
  checkScramOnly(input);
  if (input.groupId !== undefined && input.groupId !== current.projectId) throw apiError('INVALID_ATTRIBUTE', 'groupId');
  if (input.username !== undefined && input.username !== current.username) throw apiError('INVALID_ATTRIBUTE', 'username');
  if (input.databaseName !== undefined && input.databaseName !== 'admin') throw apiError('INVALID_ATTRIBUTE', 'databaseName');
  const changes: { -readonly [K in keyof DatabaseUserChanges]: DatabaseUserChanges[K] } = {};
  if (input.password !== undefined && input.password !== null) changes.password = parsePassword(input.password);
  if (input.roles !== undefined && input.roles !== null) changes.roles = parseRoles(input.roles);
  if (input.scopes !== undefined && input.scopes !== null) changes.scopes = parseScopes(input.scopes);
  if (input.labels !== undefined && input.labels !== null) changes.labels = parseLabels(input.labels);
  if (input.description !== undefined && input.description !== null) changes.description = parseDescription(input.description);
  if (input.deleteAfterDate === null) changes.deleteAfterDate = null;
  else if (input.deleteAfterDate !== undefined) changes.deleteAfterDate = parseDeleteAfter(input.deleteAfterDate, now);
  return changes;
}

/** The spec after a PATCH. */
export function applyDatabaseUserChanges(spec: DatabaseUserSpec, changes: DatabaseUserChanges): DatabaseUserSpec {
  const deleteAfterDate = changes.deleteAfterDate === undefined ? spec.deleteAfterDate : (changes.deleteAfterDate ?? undefined);
  const description = changes.description ?? spec.description;
  return {
    roles: changes.roles ?? spec.roles,
    scopes: changes.scopes ?? spec.scopes,
    labels: changes.labels ?? spec.labels,
    ...(description !== undefined ? { description } : {}),
    ...(deleteAfterDate !== undefined ? { deleteAfterDate } : {}),
  };
}

/** True once the user's `deleteAfterDate` has passed: Atlas deletes it then; privlink treats it as gone. */
export function isExpired(user: Pick<DatabaseUserRecord, 'spec'>, now: Date): boolean {
  return user.spec.deleteAfterDate !== undefined && user.spec.deleteAfterDate.getTime() <= now.getTime();
}

/** True when the user may log in to the deployment called `deploymentName` (no scopes: every cluster). */
export function scopeAllows(scopes: readonly DatabaseUserScope[], deploymentName: string): boolean {
  if (scopes.length === 0) return true;
  const name = deploymentName.toLowerCase();
  return scopes.some((scope) => scope.type === 'CLUSTER' && scope.name.toLowerCase() === name);
}

/** `role@db` (the Atlas CLI's shorthand), with `.collection` when the role is narrowed to one. */
export function roleShorthand(role: DatabaseUserRole): string {
  return `${role.roleName}@${role.databaseName}${role.collectionName ? `.${role.collectionName}` : ''}`;
}

function checkScramOnly(input: Record<string, unknown>): void {
  for (const field of OTHER_AUTH_TYPES) {
    const value = input[field];
    if (value !== undefined && value !== null && value !== 'NONE') throw apiError('DATABASE_USER_AUTH_TYPE_UNSUPPORTED', field, value);
  }
}

function parseUsername(value: unknown): string {
  // Control characters would make the SCRAM conversation and the logs ambiguous.
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_USERNAME || /[\u0000-\u001f\u007f]/.test(value)) {
    throw apiError('INVALID_ATTRIBUTE', 'username');
  }
  return value;
}

function parsePassword(value: unknown): string {
  if (typeof value !== 'string') throw apiError('INVALID_ATTRIBUTE', 'password');
  if (value.length < MIN_PASSWORD) throw apiError('DATABASE_USER_PASSWORD_TOO_SHORT', MIN_PASSWORD);
  if (value.length > MAX_PASSWORD || !isPreparablePassword(value)) throw apiError('INVALID_ATTRIBUTE', 'password');
  return value;
}

function parseRoles(value: unknown): DatabaseUserRole[] {
  if (!Array.isArray(value) || value.length === 0) throw apiError('INVALID_ATTRIBUTE', 'roles');
  if (value.length > 100) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'roles', 100, value.length);
  const roles: DatabaseUserRole[] = [];
  for (const [index, item] of value.entries()) {
    const role = objectOf(item, `roles[${index}]`);
    if (role.roleName === undefined || role.roleName === null) throw apiError('MISSING_ATTRIBUTE', `roles[${index}].roleName`);
    if (typeof role.roleName !== 'string' || !(DATABASE_USER_ROLES as readonly string[]).includes(role.roleName)) {
      throw apiError('INVALID_ENUM_VALUE', role.roleName, `roles[${index}].roleName`);
    }
    if (role.databaseName === undefined || role.databaseName === null) throw apiError('MISSING_ATTRIBUTE', `roles[${index}].databaseName`);
    if (!isDatabaseName(role.databaseName)) throw apiError('INVALID_ATTRIBUTE', `roles[${index}].databaseName`);
    const roleName = role.roleName as DatabaseUserRoleName;
    if (ADMIN_ONLY_ROLES.has(roleName) && role.databaseName !== 'admin') throw apiError('DATABASE_USER_INVALID_ROLE', roleName, role.databaseName);
    const collection = role.collectionName;
    if (collection !== undefined && collection !== null && collection !== '') {
      if (typeof collection !== 'string' || collection.length > 255 || collection.includes('$') || collection.includes('\u0000')) {
        throw apiError('INVALID_ATTRIBUTE', `roles[${index}].collectionName`);
      }
      if (!COLLECTION_ROLES.has(roleName)) throw apiError('DATABASE_USER_INVALID_ROLE', `${roleName} on a collection`, role.databaseName);
      roles.push({ roleName, databaseName: role.databaseName, collectionName: collection });
    } else {
      roles.push({ roleName, databaseName: role.databaseName });
    }
  }
  return roles;
}

/** MongoDB database names: 1–64 characters, none of `/\. "$` or NUL. */
function isDatabaseName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && !/[/\\. "$*<>:|?\u0000]/.test(value);
}

function parseScopes(value: unknown): DatabaseUserScope[] {
  if (!Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', 'scopes');
  if (value.length > 100) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'scopes', 100, value.length);
  return value.map((item, index) => {
    const scope = objectOf(item, `scopes[${index}]`);
    if (scope.name === undefined || scope.name === null) throw apiError('MISSING_ATTRIBUTE', `scopes[${index}].name`);
    if (typeof scope.name !== 'string' || !SCOPE_NAME.test(scope.name) || scope.name.length > 64) throw apiError('INVALID_ATTRIBUTE', `scopes[${index}].name`);
    if (scope.type === undefined || scope.type === null) throw apiError('MISSING_ATTRIBUTE', `scopes[${index}].type`);
    if (scope.type !== 'CLUSTER' && scope.type !== 'DATA_LAKE' && scope.type !== 'STREAM') throw apiError('INVALID_ENUM_VALUE', scope.type, `scopes[${index}].type`);
    return { name: scope.name, type: scope.type };
  });
}

function parseLabels(value: unknown): DatabaseUserLabel[] {
  if (!Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', 'labels');
  if (value.length > 50) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'labels', 50, value.length);
  return value.map((item, index) => {
    const label = objectOf(item, `labels[${index}]`);
    for (const field of ['key', 'value'] as const) {
      const text = label[field];
      if (typeof text !== 'string' || text.length === 0 || text.length > MAX_LABEL_TEXT) throw apiError('INVALID_ATTRIBUTE', `labels[${index}].${field}`);
    }
    return { key: label.key as string, value: label.value as string };
  });
}

function parseDescription(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION) throw apiError('INVALID_ATTRIBUTE', 'description');
  return value;
}

function parseDeleteAfter(value: unknown, now: Date): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw apiError('INVALID_ATTRIBUTE', 'deleteAfterDate');
  const ahead = date.getTime() - now.getTime();
  if (ahead <= 0 || ahead > MAX_DELETE_AFTER_MS) throw apiError('DATABASE_USER_INVALID_DELETE_AFTER_DATE', value);
  return date;
}

function objectOf(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', path);
  return value as Record<string, unknown>;
}
