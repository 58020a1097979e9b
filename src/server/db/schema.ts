/**
 * The database schema as Drizzle table definitions, for typed queries (see `drizzle.ts`).
 *
 * The SQL migrations in `migrations/` remain the source of truth: they create these tables and also
 * hold what stays in SQL (row-level-security policies, the anjian_app role, the audit trigger and the
 * anjian_firm_visible function). This file must describe the same tables and columns;
 * `tests/medium/schema-drift.test.ts` compares it with the migrated database on PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/** `timestamptz` as JavaScript Date values. */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ── Migration bookkeeping (created by src/server/db/migrate.ts, not by a migration file) ──────────
export const schemaMigrations = pgTable('schema_migrations', {
  name: text('name').primaryKey(),
  appliedAt: timestamptz('applied_at').notNull().defaultNow(),
});

// ── Catalog (shared by all firms; 0001) ────────────────────────────────────────────────────────────
export const catalogVersions = pgTable(
  'catalog_versions',
  {
    document: text('document').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    approval: text('approval'),
    base: text('base'),
    sourceFile: text('source_file').notNull(),
    sourceColumn: text('source_column'),
    note: text('note'),
    removed: jsonb('removed').notNull().default(sql`'[]'`),
    loadedAt: timestamptz('loaded_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.document, table.version] })],
);

export const catalogItems = pgTable(
  'catalog_items',
  {
    document: text('document').notNull(),
    version: text('version').notNull(),
    path: text('path').notNull(),
    /** DOC:path */
    itemId: text('item_id').notNull(),
    lineage: text('lineage').notNull(),
    parentPath: text('parent_path'),
    depth: integer('depth').notNull(),
    ord: integer('ord').notNull(),
    label: text('label'),
    title: text('title'),
    text: text('text'),
    notInSource: boolean('not_in_source').notNull().default(false),
    code: text('code'),
    cycle: text('cycle'),
    scope: jsonb('scope'),
    tierDependent: boolean('tier_dependent').notNull().default(false),
    effective: jsonb('effective'),
    levels: jsonb('levels'),
    /** definition, requirementCode, category, note, refs, source file and line */
    details: jsonb('details').notNull().default(sql`'{}'`),
    change: jsonb('change'),
  },
  (table) => [
    primaryKey({ columns: [table.document, table.version, table.path] }),
    foreignKey({ columns: [table.document, table.version], foreignColumns: [catalogVersions.document, catalogVersions.version] })
      .onDelete('cascade'),
    index('catalog_items_lineage').on(table.lineage),
    index('catalog_items_item_id').on(table.itemId),
  ],
);

/** Character bigrams (and ASCII words) of each item: CJK text has no spaces to split on. */
export const catalogSearchGrams = pgTable(
  'catalog_search_grams',
  {
    document: text('document').notNull(),
    version: text('version').notNull(),
    path: text('path').notNull(),
    gram: text('gram').notNull(),
    hits: integer('hits').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.gram, table.document, table.version, table.path] }),
    foreignKey({
      columns: [table.document, table.version, table.path],
      foreignColumns: [catalogItems.document, catalogItems.version, catalogItems.path],
    }).onDelete('cascade'),
  ],
);

/** One row (id 1): the digest of the loaded catalog files. */
export const catalogState = pgTable(
  'catalog_state',
  {
    id: integer('id').primaryKey(),
    digest: text('digest').notNull(),
    loadedAt: timestamptz('loaded_at').notNull().defaultNow(),
  },
  (table) => [check('catalog_state_id_check', sql`${table.id} = 1`)],
);

// ── Identity (0001) ────────────────────────────────────────────────────────────────────────────────
export const firms = pgTable('firms', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  registrationNumber: text('registration_number'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: boolean('must_change_password').notNull().default(true),
  passwordChangedAt: timestamptz('password_changed_at').notNull().defaultNow(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedAt: timestamptz('locked_at'),
  mfaSecret: text('mfa_secret'),
  mfaEnabled: boolean('mfa_enabled').notNull().default(false),
  /** The last accepted TOTP time step; older or equal codes are refused (0004). */
  mfaLastStep: bigint('mfa_last_step', { mode: 'number' }),
  recoveryCodes: jsonb('recovery_codes').notNull().default(sql`'[]'`),
  isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
  isStaff: boolean('is_staff').notNull().default(true),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    /** firm_admin, ciso, assessor, reviewer, auditor, inspector */
    role: text('role').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.firmId, table.role] }),
    check('memberships_role_check', sql`${table.role} IN ('firm_admin', 'ciso', 'assessor', 'reviewer', 'auditor', 'inspector')`),
    index('memberships_firm').on(table.firmId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie value */
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    mfaPassed: boolean('mfa_passed').notNull().default(false),
    activeFirmId: uuid('active_firm_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('sessions_user').on(table.userId)],
);

export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    userId: uuid('user_id'),
    ip: text('ip'),
    at: timestamptz('at').notNull().defaultNow(),
    /** success, bad_password, unknown_account, locked, bad_mfa, disabled */
    outcome: text('outcome').notNull(),
  },
  (table) => [index('login_attempts_email').on(table.email, table.at)],
);

export const firmSettings = pgTable('firm_settings', {
  firmId: uuid('firm_id').primaryKey().references(() => firms.id, { onDelete: 'cascade' }),
  passwordExpiryDays: integer('password_expiry_days').notNull().default(90),
  passwordExpiryDisabled: boolean('password_expiry_disabled').notNull().default(false),
  passwordExpiryReason: text('password_expiry_reason'),
  requireMfaForAll: boolean('require_mfa_for_all').notNull().default(false),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

// ── Audit trail (hash-chained, append-only; 0001, 0003, 0004). The guard triggers stay in SQL. ────
export const auditChainHeads = pgTable('audit_chain_heads', {
  /** a firm id, or 'platform' */
  chain: text('chain').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamptz('at').notNull(),
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    firmId: uuid('firm_id'),
    ip: text('ip'),
    /** api, cli, job, system */
    via: text('via').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    action: text('action').notNull(),
    beforeDigest: text('before_digest'),
    afterDigest: text('after_digest'),
    detail: jsonb('detail').notNull().default(sql`'{}'`),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [unique().on(table.chain, table.seq), index('audit_events_firm').on(table.firmId, table.at)],
);

/** The result of each audit-chain verification (0003). */
export const auditVerifications = pgTable(
  'audit_verifications',
  {
    id: uuid('id').primaryKey(),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    verifiedAt: timestamptz('verified_at').notNull().defaultNow(),
    verifiedBy: uuid('verified_by'),
    ok: boolean('ok').notNull(),
    events: integer('events').notNull(),
    problems: jsonb('problems').notNull().default(sql`'[]'`),
    /** inspection, board_report */
    trigger: text('trigger').notNull(),
  },
  (table) => [index('audit_verifications_firm').on(table.firmId, table.verifiedAt.desc())],
);

// ── Firm profile (0001) ────────────────────────────────────────────────────────────────────────────
export const firmProfiles = pgTable(
  'firm_profiles',
  {
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    profile: jsonb('profile').notNull(),
    validFrom: timestamptz('valid_from').notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (table) => [primaryKey({ columns: [table.firmId, table.revision] })],
);

// ── Self-inspections (0001, 0002) ──────────────────────────────────────────────────────────────────
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey(),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    /** 2024-03, 2024-H1, 2024 */
    period: text('period').notNull(),
    /** monthly, semiannual, annual */
    cycle: text('cycle').notNull(),
    document: text('document').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    /** open, in_review, approved */
    status: text('status').notNull().default('open'),
    dueDate: date('due_date', { mode: 'string' }),
    createdBy: uuid('created_by'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    approvedAt: timestamptz('approved_at'),
    approvedBy: uuid('approved_by'),
    reopenReason: text('reopen_reason'),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    reopenedAt: timestamptz('reopened_at'),
    reopenedBy: uuid('reopened_by'),
    revision: integer('revision').notNull().default(1),
    /** The firm-profile revision in force at the period end, with which the items were chosen. */
    profileRevision: integer('profile_revision'),
  },
  (table) => [
    unique().on(table.firmId, table.document, table.version, table.cycle, table.period),
    index('campaigns_firm').on(table.firmId, table.periodEnd),
  ],
);

export const campaignItems = pgTable(
  'campaign_items',
  {
    id: uuid('id').primaryKey(),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    itemId: text('item_id').notNull(),
    applicability: text('applicability').notNull(),
    applicabilityReason: text('applicability_reason').notNull(),
    /** compliant, partial, non_compliant, not_applicable */
    result: text('result'),
    justification: text('justification'),
    notes: text('notes'),
    assessorId: uuid('assessor_id'),
    assessedAt: timestamptz('assessed_at'),
    /** pending, submitted, approved, returned */
    reviewState: text('review_state').notNull().default('pending'),
    reviewerId: uuid('reviewer_id'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewComment: text('review_comment'),
    revision: integer('revision').notNull().default(1),
    /** section code such as CC-17010 */
    section: text('section'),
    lineage: text('lineage'),
    ord: integer('ord').notNull().default(0),
  },
  (table) => [unique().on(table.campaignId, table.path), index('campaign_items_campaign').on(table.campaignId)],
);

// ── Evidence (0001, 0002); blobs are content-addressed files under data/blobs ─────────────────────
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  mime: text('mime').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const evidence = pgTable('evidence', {
  id: uuid('id').primaryKey(),
  firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  ownerId: uuid('owner_id'),
  collectedOn: date('collected_on', { mode: 'string' }).notNull(),
  validUntil: date('valid_until', { mode: 'string' }),
  retainUntil: date('retain_until', { mode: 'string' }).notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  deletedAt: timestamptz('deleted_at'),
  description: text('description'),
});

export const evidenceVersions = pgTable(
  'evidence_versions',
  {
    evidenceId: uuid('evidence_id').notNull().references(() => evidence.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    sha256: text('sha256').notNull().references(() => blobs.sha256),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    uploadedBy: uuid('uploaded_by'),
    uploadedAt: timestamptz('uploaded_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.evidenceId, table.version] }), index('evidence_versions_sha').on(table.sha256)],
);

export const evidenceItems = pgTable(
  'evidence_items',
  {
    evidenceId: uuid('evidence_id').notNull().references(() => evidence.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    /** catalog id (CSIM:8.3.e) or lineage */
    itemId: text('item_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.evidenceId, table.itemId] })],
);

export const campaignItemEvidence = pgTable(
  'campaign_item_evidence',
  {
    campaignItemId: uuid('campaign_item_id').notNull().references(() => campaignItems.id, { onDelete: 'cascade' }),
    evidenceId: uuid('evidence_id').notNull().references(() => evidence.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    /** The evidence version linked (pinned), and its SHA-256. */
    evidenceVersion: integer('evidence_version'),
    sha256: text('sha256'),
    /** The evidence title as linked. */
    evidenceTitle: text('evidence_title'),
  },
  (table) => [
    primaryKey({ columns: [table.campaignItemId, table.evidenceId] }),
    index('campaign_item_evidence_evidence').on(table.evidenceId),
  ],
);

// ── Deficiencies (0001, 0002) ──────────────────────────────────────────────────────────────────────
export const deficiencies = pgTable(
  'deficiencies',
  {
    id: uuid('id').primaryKey(),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    /** self_inspection, internal_audit, external_audit, exchange_inspection, automated_check */
    source: text('source').notNull(),
    items: jsonb('items').notNull().default(sql`'[]'`),
    /** high, medium, low */
    severity: text('severity').notNull(),
    state: text('state').notNull().default('open'),
    ownerId: uuid('owner_id'),
    dueDate: date('due_date', { mode: 'string' }),
    plan: text('plan'),
    campaignItemId: uuid('campaign_item_id').references(() => campaignItems.id, { onDelete: 'set null' }),
    checkRunId: uuid('check_run_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    closedAt: timestamptz('closed_at'),
    verifiedBy: uuid('verified_by'),
    revision: integer('revision').notNull().default(1),
    description: text('description'),
    recommendation: text('recommendation'),
  },
  (table) => [
    unique().on(table.firmId, table.number),
    index('deficiencies_firm_state').on(table.firmId, table.state),
    index('deficiencies_campaign_item').on(table.campaignItemId),
  ],
);

export const deficiencyHistory = pgTable('deficiency_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deficiencyId: uuid('deficiency_id').notNull().references(() => deficiencies.id, { onDelete: 'cascade' }),
  firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
  at: timestamptz('at').notNull().defaultNow(),
  actorId: uuid('actor_id'),
  fromState: text('from_state'),
  toState: text('to_state').notNull(),
  comment: text('comment'),
  changes: jsonb('changes').notNull().default(sql`'{}'`),
});

// ── Automated checks (0001) ────────────────────────────────────────────────────────────────────────
export const checkRuns = pgTable('check_runs', {
  id: uuid('id').primaryKey(),
  firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
  checkId: text('check_id').notNull(),
  status: text('status').notNull(),
  startedAt: timestamptz('started_at').notNull().defaultNow(),
  finishedAt: timestamptz('finished_at'),
  /** upload, schedule, cli */
  trigger: text('trigger').notNull(),
  target: text('target'),
  result: jsonb('result'),
  evidenceId: uuid('evidence_id').references(() => evidence.id, { onDelete: 'set null' }),
  createdBy: uuid('created_by'),
});

export const checkSchedules = pgTable('check_schedules', {
  id: uuid('id').primaryKey(),
  firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
  checkId: text('check_id').notNull(),
  target: text('target').notNull(),
  cron: text('cron').notNull(),
  options: jsonb('options').notNull().default(sql`'{}'`),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

// ── Exchange inspections (0001, 0003) ──────────────────────────────────────────────────────────────
export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    id: uuid('id').primaryKey(),
    firmId: uuid('firm_id').notNull().references(() => firms.id, { onDelete: 'cascade' }),
    inspectorId: uuid('inspector_id').notNull(),
    itemId: text('item_id').notNull(),
    text: text('text').notNull(),
    severity: text('severity').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    deficiencyId: uuid('deficiency_id').references(() => deficiencies.id, { onDelete: 'set null' }),
  },
  (table) => [index('inspection_findings_firm').on(table.firmId, table.createdAt)],
);
