// Authentication on one connection to a simulated node, as mongod does it with SCRAM: mechanism
// negotiation (`saslSupportedMechs` in hello), speculative authentication (`speculativeAuthenticate`
// in hello), `saslStart` / `saslContinue` for SCRAM-SHA-1 and SCRAM-SHA-256 against `admin`, and
// `logout`. Users come from a lookup the caller supplies (the project's database users, filtered by
// the user's scopes); a failure answers what mongod answers: AuthenticationFailed (18).
import { Binary, type Document } from 'bson';
import {
  isScramMechanism,
  parseClientFirst,
  SCRAM_MECHANISMS,
  ScramError,
  serverFirst,
  verifyClientFinal,
  type ScramCredentials,
  type ScramServerFirst,
} from '../../domain/scram.js';

/** One role of a user, as the Atlas API names it. */
export interface SimulatedUserRole {
  readonly roleName: string;
  readonly databaseName: string;
  readonly collectionName?: string;
}

/** What a node needs to know about a user: credentials to check, roles to apply. */
export interface SimulatedUser {
  readonly username: string;
  readonly credentials: ScramCredentials;
  readonly roles: readonly SimulatedUserRole[];
}

/**
 * Finds the user of this name who may log in to this node (undefined: none, or not in its scopes).
 * May be slow (a question to another thread); may reject (then the attempt fails like an unknown user).
 */
export type SimulatedUserLookup = (username: string) => Promise<SimulatedUser | undefined>;

/** Why an attempt failed, for the node's log (never sent to the client: mongod does not say). */
export type AuthFailureLog = (entry: { username?: string; mechanism?: string; reason: string }) => void;

/** The longest username the Admin API accepts. */
const MAX_USERNAME_LENGTH = 1024;

const AUTHENTICATION_FAILED: Document = { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' };

interface Conversation {
  readonly id: number;
  readonly state: ScramServerFirst;
  readonly user: SimulatedUser;
  readonly skipEmptyExchange: boolean;
  step: 'server-first-sent' | 'server-final-sent';
}

/**
 * The authentication state of one connection. Contract: `helloAdditions`, `saslStart`,
 * `saslContinue` never throw (a failure is an error reply); at most one conversation is open at a
 * time (a new `saslStart` replaces it); `user` is set only after a proof was verified.
 */
export class ConnectionAuth {
  private conversation: Conversation | undefined;
  private authenticated: SimulatedUser | undefined;
  private nextConversationId = 1;

  constructor(
    private readonly users: SimulatedUserLookup,
    private readonly onFailure: AuthFailureLog = () => undefined,
  ) {}

  /** The authenticated user, if any. */
  get user(): SimulatedUser | undefined {
    return this.authenticated;
  }

  /** True when a hello request asks for something only `helloAdditions` can answer. */
  static wantsAdditions(request: Document): boolean {
    return typeof request.saslSupportedMechs === 'string' || isDocument(request.speculativeAuthenticate);
  }

  /**
   * The fields a hello reply gains: `saslSupportedMechs` (for `"<db>.<user>"` naming a user this
   * node knows) and `speculativeAuthenticate` (the first SCRAM step, when it succeeded; on failure
   * it is left out and the driver authenticates the ordinary way, which then fails).
   */
  async helloAdditions(request: Document): Promise<Document> {
    const out: Document = {};
    if (typeof request.saslSupportedMechs === 'string') {
      const dot = request.saslSupportedMechs.indexOf('.');
      const db = request.saslSupportedMechs.slice(0, dot);
      const username = request.saslSupportedMechs.slice(dot + 1);
      if (dot > 0 && db === 'admin' && (await this.find(username))) out.saslSupportedMechs = [...SCRAM_MECHANISMS];
    }
    const speculative = request.speculativeAuthenticate as unknown;
    if (isDocument(speculative) && speculative.saslStart !== undefined) {
      const reply = await this.saslStart(speculative, typeof speculative.db === 'string' ? speculative.db : '');
      if (reply.ok === 1) {
        const { ok: _ok, ...rest } = reply;
        out.speculativeAuthenticate = rest;
      }
    }
    return out;
  }

  /** `saslStart` on database `db`: the server-first message, or AuthenticationFailed / MechanismUnavailable. */
  async saslStart(command: Document, db: string): Promise<Document> {
    this.conversation = undefined;
    const mechanism = command.mechanism;
    if (!isScramMechanism(mechanism)) {
      return { ok: 0, errmsg: `Received authentication for mechanism ${String(mechanism)} which is not enabled`, code: 334, codeName: 'MechanismUnavailable' };
    }
    let first: ReturnType<typeof parseClientFirst>;
    try {
      first = parseClientFirst(payloadText(command.payload));
    } catch (error) {
      return this.fail({ mechanism, reason: (error as Error).message });
    }
    if (db !== 'admin') return this.fail({ username: first.username, mechanism, reason: `users authenticate against admin, not ${db}` });
    const user = await this.find(first.username);
    if (!user) return this.fail({ username: first.username, mechanism, reason: 'no such user on this cluster (unknown, expired, or outside its scopes)' });
    const state = serverFirst(mechanism, user.username, first.bare, first.clientNonce, user.credentials[mechanism]);
    const id = this.nextConversationId++;
    const options = command.options as Document | undefined;
    this.conversation = { id, state, user, skipEmptyExchange: options?.skipEmptyExchange === true, step: 'server-first-sent' };
    return { conversationId: id, done: false, payload: binary(state.serverFirst), ok: 1 };
  }

  /** `saslContinue`: checks the proof (then the server signature, done) or ends the empty final exchange. */
  saslContinue(command: Document): Document {
    const conversation = this.conversation;
    if (!conversation || Number(command.conversationId) !== conversation.id) {
      this.conversation = undefined;
      return this.fail({ reason: 'saslContinue without a matching saslStart' });
    }
    const { state, user } = conversation;
    if (conversation.step === 'server-final-sent') {
      this.conversation = undefined;
      this.authenticated = user;
      return { conversationId: conversation.id, done: true, payload: binary(''), ok: 1 };
    }
    let serverFinal: string;
    try {
      serverFinal = verifyClientFinal(state, payloadText(command.payload), user.credentials[state.mechanism]);
    } catch (error) {
      this.conversation = undefined;
      return this.fail({ username: user.username, mechanism: state.mechanism, reason: error instanceof ScramError ? error.message : 'malformed client-final message' });
    }
    if (conversation.skipEmptyExchange) {
      this.conversation = undefined;
      this.authenticated = user;
      return { conversationId: conversation.id, done: true, payload: binary(serverFinal), ok: 1 };
    }
    conversation.step = 'server-final-sent';
    return { conversationId: conversation.id, done: false, payload: binary(serverFinal), ok: 1 };
  }

  /** `logout`: the connection is unauthenticated again. */
  logout(): Document {
    this.authenticated = undefined;
    this.conversation = undefined;
    return { ok: 1 };
  }

  private async find(username: string): Promise<SimulatedUser | undefined> {
    // No user has a longer name (the API refuses them): such a name is not worth a lookup.
    if (username.length === 0 || username.length > MAX_USERNAME_LENGTH) return undefined;
    try {
      return await this.users(username);
    } catch (error) {
      this.onFailure({ username, reason: `user lookup failed: ${(error as Error).message}` });
      return undefined;
    }
  }

  private fail(entry: { username?: string; mechanism?: string; reason: string }): Document {
    this.onFailure(entry);
    return { ...AUTHENTICATION_FAILED };
  }
}

function isDocument(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Binary);
}

function binary(text: string): Binary {
  return new Binary(Buffer.from(text, 'utf8'));
}

/** A SASL payload as text: BSON binary (what drivers send) or a string. */
function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.buffer, payload.buffer.byteOffset, payload.position).toString('utf8');
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  throw new ScramError('SCRAM: missing payload');
}
