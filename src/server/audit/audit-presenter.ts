/** How audit events leave the system: the JSON shape and the CSV export shared by the API and the CLI. */
import type { StoredAuditEvent } from './audit-log.ts';

export function presentAuditEvent(event: StoredAuditEvent) {
  return {
    id: String(event.id), chain: event.chain, seq: String(event.seq), at: new Date(event.at).toISOString(),
    actorId: event.actor_id, actorEmail: event.actor_email, actorRole: event.actor_role, firmId: event.firm_id, ip: event.ip,
    via: event.via, entity: event.entity, entityId: event.entity_id, action: event.action, beforeDigest: event.before_digest,
    afterDigest: event.after_digest, detail: event.detail, prevHash: event.prev_hash, hash: event.hash,
  };
}
export type PresentedAuditEvent = ReturnType<typeof presentAuditEvent>;

const CSV_COLUMNS = ['id', 'chain', 'seq', 'at', 'actorEmail', 'actorRole', 'firmId', 'ip', 'via', 'entity', 'entityId', 'action', 'beforeDigest', 'afterDigest', 'prevHash', 'hash'] as const;

/** A CSV cell, guarded against formula injection when opened in a spreadsheet. */
function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const guarded = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** UTF-8 CSV with a BOM (Excel opens Chinese text correctly) and CRLF line ends. */
export function auditEventsToCsv(events: PresentedAuditEvent[]): string {
  const lines = [CSV_COLUMNS.join(','), ...events.map((event) => CSV_COLUMNS.map((column) => csvCell(event[column])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
