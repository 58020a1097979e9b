/**
 * The tamper-evident audit trail. Every write appends an event in the same transaction; events are
 * hash-chained per firm (and one 'platform' chain), so `verifyAuditChains` can name the first altered,
 * deleted or inserted event. The only code that touches audit_events.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/client.ts';
import { SYSTEM_ACTOR, type RequestContext, type Role } from '../context.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  firmId: string | null;
  entity: string;
  entityId?: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
  /** The role the actor acted in; by default derived from the actor (see `actorRoleFor`). */
  role?: Role | 'platform_admin' | 'system' | null;
}

/**
 * The role(s) an actor acts in, as recorded on an event: 'system' for the system actor (CLI, jobs,
 * start-up), 'platform_admin' for a platform administrator, the actor's roles in the event's firm
 * joined by commas ("assessor,reviewer"), or for a platform-chain event (no firm) the roles the actor
 * holds in any firm; null for someone not signed in (a failed sign-in).
 */
export function actorRoleFor(context: RequestContext, firmId: string | null): string | null {
  const actor = context.actor;
  if (actor === SYSTEM_ACTOR || (actor.userId === null && context.via !== 'api')) return 'system';
  if (actor.userId === null) return null;
  if (actor.isPlatformAdmin) return 'platform_admin';
  const roles = firmId === null ? [...actor.roles.values()].flat() : (actor.roles.get(firmId) ?? []);
  const distinct = [...new Set(roles)].sort();
  return distinct.length > 0 ? distinct.join(',') : null;
}

export interface StoredAuditEvent {
  id: string;
  chain: string;
  seq: string;
  at: Date | string;
  actor_id: string | null;
  actor_email: string | null;
  actor_role: string | null;
  firm_id: string | null;
  ip: string | null;
  via: string;
  entity: string;
  entity_id: string | null;
  action: string;
  before_digest: string | null;
  after_digest: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** Canonical JSON: keys sorted at every depth, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
}

export function digest(value: unknown): string | null {
  return value === undefined ? null : createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function toIso(at: Date | string): string {
  return (at instanceof Date ? at : new Date(at)).toISOString();
}

/** The hash of an event covers every field but its own id and hash. */
export function hashEvent(event: Omit<StoredAuditEvent, 'id' | 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        chain: event.chain,
        seq: String(event.seq),
        at: toIso(event.at),
        actor_id: event.actor_id,
        actor_email: event.actor_email,
        actor_role: event.actor_role,
        firm_id: event.firm_id,
        ip: event.ip,
        via: event.via,
        entity: event.entity,
        entity_id: event.entity_id,
        action: event.action,
        before_digest: event.before_digest,
        after_digest: event.after_digest,
        detail: event.detail,
        prev_hash: event.prev_hash,
      }),
    )
    .digest('hex');
}

/**
 * Appends an event inside the caller's transaction. It throws when the event cannot be written, and
 * the caller's transaction (and so the request) fails with it.
 */
export async function appendAuditEvent(tx: Queryable, context: RequestContext, input: AuditEventInput): Promise<void> {
  const chain = input.firmId ?? 'platform';
  await tx.query(
    `INSERT INTO audit_chain_heads (chain, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING`,
    [chain, GENESIS_HASH],
  );
  const head = await tx.query<{ last_seq: string; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_chain_heads WHERE chain = $1 FOR UPDATE',
    [chain],
  );
  const seq = String(BigInt(head.rows[0].last_seq) + 1n);
  const event: Omit<StoredAuditEvent, 'id' | 'hash'> = {
    chain,
    seq,
    at: new Date(),
    actor_id: context.actor.userId,
    actor_email: context.actor.email,
    actor_role: input.role ?? actorRoleFor(context, input.firmId),
    firm_id: input.firmId,
    ip: context.ip,
    via: context.via,
    entity: input.entity,
    entity_id: input.entityId ?? null,
    action: input.action,
    before_digest: digest(input.before),
    after_digest: digest(input.after),
    detail: input.detail ?? {},
    prev_hash: head.rows[0].last_hash,
  };
  const hash = hashEvent(event);
  await tx.query(
    `INSERT INTO audit_events (chain, seq, at, actor_id, actor_email, actor_role, firm_id, ip, via, entity, entity_id,
       action, before_digest, after_digest, detail, prev_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
    [
      event.chain, event.seq, toIso(event.at), event.actor_id, event.actor_email, event.actor_role, event.firm_id,
      event.ip, event.via, event.entity, event.entity_id, event.action, event.before_digest, event.after_digest,
      JSON.stringify(event.detail), event.prev_hash, hash,
    ],
  );
  await tx.query('UPDATE audit_chain_heads SET last_seq = $2, last_hash = $3 WHERE chain = $1', [chain, seq, hash]);
}

export interface ChainProblem {
  chain: string;
  kind: 'altered' | 'deleted' | 'inserted' | 'truncated' | 'head_missing' | 'head_mismatch';
  /** The event where the break shows (id and sequence number). */
  eventId: string | null;
  seq: string;
  message: string;
  messageEn: string;
}

export interface VerificationReport {
  ok: boolean;
  chains: number;
  events: number;
  problems: ChainProblem[];
  verifiedAt: string;
}

interface ChainHead {
  chain: string;
  last_seq: string;
  last_hash: string;
}

/**
 * The chains to verify: for '*' every chain that has a head, has events, or belongs to a firm (plus the
 * platform chain); otherwise the named firms' chains. Taking the chains from the events and the firms
 * too means a deleted head row cannot hide a chain from verification.
 */
async function chainsToVerify(tx: Queryable, firmIds: string[] | '*'): Promise<string[]> {
  if (firmIds !== '*') return [...new Set(firmIds)].sort();
  const rows = await tx.query<{ chain: string }>(
    `SELECT chain FROM audit_chain_heads
     UNION SELECT DISTINCT chain FROM audit_events
     UNION SELECT id::text FROM firms
     UNION SELECT 'platform'`,
  );
  return rows.rows.map((row) => row.chain).sort();
}

/** Walks one chain's events against its head and returns the first break, if any. */
function verifyChain(chain: string, head: ChainHead | null, events: StoredAuditEvent[]): ChainProblem | null {
  let expectedSeq = 1n;
  let previousHash = GENESIS_HASH;
  for (const event of events) {
    const seq = BigInt(event.seq);
    const recomputed = hashEvent({ ...event, detail: event.detail ?? {} });
    if (head && seq > BigInt(head.last_seq)) {
      return { chain, kind: 'inserted', eventId: String(event.id), seq: String(seq), message: `事件 #${event.id}（序號 ${seq}）不在稽核鏈記錄之內，疑似被插入`, messageEn: `event #${event.id} (seq ${seq}) lies beyond the chain's recorded end: inserted` };
    }
    if (seq < expectedSeq) {
      return { chain, kind: 'inserted', eventId: String(event.id), seq: String(seq), message: `事件 #${event.id}（序號 ${seq}）重複序號，疑似被插入`, messageEn: `event #${event.id} (seq ${seq}) repeats a sequence number: inserted` };
    }
    if (seq > expectedSeq) {
      return { chain, kind: 'deleted', eventId: String(event.id), seq: String(expectedSeq), message: `序號 ${expectedSeq} 的事件不見了（在事件 #${event.id} 之前），疑似被刪除`, messageEn: `event with seq ${expectedSeq} is missing before event #${event.id}: deleted` };
    }
    if (event.prev_hash !== previousHash) {
      return { chain, kind: recomputed === event.hash ? 'inserted' : 'altered', eventId: String(event.id), seq: String(seq), message: `事件 #${event.id}（序號 ${seq}）與前一事件的雜湊不連續`, messageEn: `event #${event.id} (seq ${seq}) does not link to the previous event's hash` };
    }
    if (recomputed !== event.hash) {
      return { chain, kind: 'altered', eventId: String(event.id), seq: String(seq), message: `事件 #${event.id}（序號 ${seq}）內容已被竄改`, messageEn: `event #${event.id} (seq ${seq}) was altered: its content does not match its hash` };
    }
    previousHash = event.hash;
    expectedSeq += 1n;
  }
  const lastSeq = String(expectedSeq - 1n);
  if (!head) {
    if (events.length === 0) return null;
    return { chain, kind: 'head_missing', eventId: null, seq: lastSeq, message: `稽核鏈 ${chain} 有 ${events.length} 筆事件，但鏈首記錄不見了（疑似被刪除）`, messageEn: `chain ${chain} has ${events.length} events but no chain head: the head was deleted` };
  }
  if (BigInt(head.last_seq) > expectedSeq - 1n) {
    return { chain, kind: 'truncated', eventId: null, seq: String(head.last_seq), message: `稽核鏈 ${chain} 的最後事件（序號 ${head.last_seq}）不見了`, messageEn: `chain ${chain} ends before its recorded last event (seq ${head.last_seq}): deleted` };
  }
  if (lastSeq !== String(head.last_seq) || previousHash !== head.last_hash) {
    return { chain, kind: 'head_mismatch', eventId: null, seq: String(head.last_seq), message: `稽核鏈 ${chain} 的鏈首記錄（序號 ${head.last_seq}）與最後事件（序號 ${lastSeq}）不符，鏈首疑似被竄改`, messageEn: `chain ${chain}'s head (seq ${head.last_seq}) does not match its last event (seq ${lastSeq}): the head was altered` };
  }
  return null;
}

/**
 * Recomputes every chain (or those of `firmIds`) and reports the first break in each; a chain whose
 * events have no head, or whose head does not match its last event, is broken too.
 */
export async function verifyAuditChains(tx: Queryable, firmIds: string[] | '*' = '*'): Promise<VerificationReport> {
  const chains = await chainsToVerify(tx, firmIds);
  const heads = new Map(
    (await tx.query<ChainHead>('SELECT chain, last_seq, last_hash FROM audit_chain_heads WHERE chain = ANY($1::text[])', [chains])).rows
      .map((head) => [head.chain, head]),
  );
  const problems: ChainProblem[] = [];
  let total = 0;
  let walked = 0;
  for (const chain of chains) {
    const events = (
      await tx.query<StoredAuditEvent>('SELECT * FROM audit_events WHERE chain = $1 ORDER BY seq, id', [chain])
    ).rows;
    const head = heads.get(chain) ?? null;
    if (!head && events.length === 0) continue;
    walked += 1;
    total += events.length;
    const problem = verifyChain(chain, head, events);
    if (problem) problems.push(problem);
  }
  return { ok: problems.length === 0, chains: walked, events: total, problems, verifiedAt: new Date().toISOString() };
}

export interface AuditQuery {
  firmIds: string[] | '*';
  /**
   * Also list platform-chain events (sign-in, failed sign-in, lockout, unlock, MFA, password reset)
   * whose actor or target user is a member of one of `firmIds`, so a firm's auditor sees them. A
   * read-only view: the events stay in the platform chain.
   */
  includeMemberPlatformEvents?: boolean;
  from?: string;
  to?: string;
  actor?: string;
  entity?: string;
  action?: string;
  limit: number;
  offset: number;
}

export async function listAuditEvents(tx: Queryable, query: AuditQuery): Promise<{ events: StoredAuditEvent[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.firmIds !== '*') {
    if (query.includeMemberPlatformEvents) {
      params.push(query.firmIds);
      const firms = `$${params.length}::uuid[]`;
      where.push(
        `(firm_id = ANY(${firms}) OR (chain = 'platform' AND firm_id IS NULL AND (
           actor_id IN (SELECT user_id FROM memberships WHERE firm_id = ANY(${firms}))
           OR entity_id IN (SELECT user_id::text FROM memberships WHERE firm_id = ANY(${firms})))))`,
      );
    } else {
      add('(firm_id = ANY(?::uuid[]))', query.firmIds);
    }
  }
  if (query.from) add('at >= ?', query.from);
  if (query.to) add('at < ?', query.to);
  if (query.actor) add('actor_email ILIKE ?', `%${query.actor}%`);
  if (query.entity) add('entity = ?', query.entity);
  if (query.action) add('action ILIKE ?', `%${query.action}%`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await tx.query<{ count: string }>(`SELECT count(*)::text AS count FROM audit_events ${clause}`, params);
  const events = await tx.query<StoredAuditEvent>(
    `SELECT * FROM audit_events ${clause} ORDER BY id DESC LIMIT ${Math.min(query.limit, 5000)} OFFSET ${Math.max(0, query.offset)}`,
    params,
  );
  return { events: events.rows, total: Number(total.rows[0].count) };
}
