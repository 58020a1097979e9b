-- anjian schema, version 1. One set of SQL migrations for PGlite and PostgreSQL.
-- Tenant tables carry firm_id and are protected by row-level security (see the end of this file):
-- the application runs tenant work as the role anjian_app with anjian.firm_ids set per transaction.

-- ── Catalog (shared by all firms) ─────────────────────────────────────────────────────────────────
CREATE TABLE catalog_versions (
  document      text NOT NULL,
  version       text NOT NULL,
  title         text NOT NULL,
  date          date NOT NULL,
  approval      text,
  base          text,
  source_file   text NOT NULL,
  source_column text,
  note          text,
  removed       jsonb NOT NULL DEFAULT '[]',
  loaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document, version)
);

CREATE TABLE catalog_items (
  document       text NOT NULL,
  version        text NOT NULL,
  path           text NOT NULL,
  item_id        text NOT NULL,      -- DOC:path
  lineage        text NOT NULL,
  parent_path    text,
  depth          integer NOT NULL,
  ord            integer NOT NULL,
  label          text,
  title          text,
  text           text,
  not_in_source  boolean NOT NULL DEFAULT false,
  code           text,
  cycle          text,
  scope          jsonb,
  tier_dependent boolean NOT NULL DEFAULT false,
  effective      jsonb,
  levels         jsonb,
  details        jsonb NOT NULL DEFAULT '{}',   -- definition, requirementCode, category, note, refs, source line
  change         jsonb,
  PRIMARY KEY (document, version, path),
  FOREIGN KEY (document, version) REFERENCES catalog_versions (document, version) ON DELETE CASCADE
);
CREATE INDEX catalog_items_lineage ON catalog_items (lineage);
CREATE INDEX catalog_items_item_id ON catalog_items (item_id);

-- CJK text has no spaces: the search index holds character bigrams (and ASCII words) of each item.
CREATE TABLE catalog_search_grams (
  document text NOT NULL,
  version  text NOT NULL,
  path     text NOT NULL,
  gram     text NOT NULL,
  hits     integer NOT NULL,
  PRIMARY KEY (gram, document, version, path),
  FOREIGN KEY (document, version, path) REFERENCES catalog_items (document, version, path) ON DELETE CASCADE
);

CREATE TABLE catalog_state (
  id          integer PRIMARY KEY CHECK (id = 1),
  digest      text NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- ── Identity ──────────────────────────────────────────────────────────────────────────────────────
CREATE TABLE firms (
  id                  uuid PRIMARY KEY,
  name                text NOT NULL,
  registration_number text,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id                   uuid PRIMARY KEY,
  email                text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  password_changed_at  timestamptz NOT NULL DEFAULT now(),
  failed_attempts      integer NOT NULL DEFAULT 0,
  locked_at            timestamptz,
  mfa_secret           text,
  mfa_enabled          boolean NOT NULL DEFAULT false,
  recovery_codes       jsonb NOT NULL DEFAULT '[]',
  is_platform_admin    boolean NOT NULL DEFAULT false,
  is_staff             boolean NOT NULL DEFAULT true,
  disabled             boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  firm_id    uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('firm_admin', 'ciso', 'assessor', 'reviewer', 'auditor', 'inspector')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, firm_id, role)
);
CREATE INDEX memberships_firm ON memberships (firm_id);

CREATE TABLE sessions (
  id_hash        text PRIMARY KEY,          -- sha256 of the cookie value
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token     text NOT NULL,
  mfa_passed     boolean NOT NULL DEFAULT false,
  active_firm_id uuid,
  ip             text,
  user_agent     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
  id         bigserial PRIMARY KEY,
  email      text NOT NULL,
  user_id    uuid,
  ip         text,
  at         timestamptz NOT NULL DEFAULT now(),
  outcome    text NOT NULL          -- success, bad_password, unknown_account, locked, bad_mfa, disabled
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);

CREATE TABLE firm_settings (
  firm_id                   uuid PRIMARY KEY REFERENCES firms (id) ON DELETE CASCADE,
  password_expiry_days      integer NOT NULL DEFAULT 90,
  password_expiry_disabled  boolean NOT NULL DEFAULT false,
  password_expiry_reason    text,
  require_mfa_for_all       boolean NOT NULL DEFAULT false,
  updated_at                timestamptz NOT NULL DEFAULT now()
);

-- ── Audit trail (hash-chained, append-only) ──────────────────────────────────────────────────────
CREATE TABLE audit_chain_heads (
  chain     text PRIMARY KEY,      -- a firm id, or 'platform'
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);

CREATE TABLE audit_events (
  id            bigserial PRIMARY KEY,
  chain         text NOT NULL,
  seq           bigint NOT NULL,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_email   text,
  actor_role    text,
  firm_id       uuid,
  ip            text,
  via           text NOT NULL,     -- api, cli, job, system
  entity        text NOT NULL,
  entity_id     text,
  action        text NOT NULL,
  before_digest text,
  after_digest  text,
  detail        jsonb NOT NULL DEFAULT '{}',
  prev_hash     text NOT NULL,
  hash          text NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX audit_events_firm ON audit_events (firm_id, at);

-- Nothing in the product deletes or edits audit events; retention is at least three years
-- (CSIM 8.(4) c., NET 4.3). The trigger refuses UPDATE and refuses DELETE of events younger than that.
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  IF OLD.at > now() - interval '3 years' THEN
    RAISE EXCEPTION 'audit events are kept at least three years (event %)', OLD.id;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER audit_events_guard BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();

-- ── Firm profile ──────────────────────────────────────────────────────────────────────────────────
CREATE TABLE firm_profiles (
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  revision    integer NOT NULL,
  profile     jsonb NOT NULL,
  valid_from  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid,
  PRIMARY KEY (firm_id, revision)
);

-- ── Self-inspections ──────────────────────────────────────────────────────────────────────────────
CREATE TABLE campaigns (
  id              uuid PRIMARY KEY,
  firm_id         uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  period          text NOT NULL,        -- 2024-03, 2024-H1, 2024
  cycle           text NOT NULL,        -- monthly, semiannual, annual
  document        text NOT NULL,
  version         text NOT NULL,
  title           text NOT NULL,
  status          text NOT NULL DEFAULT 'open',   -- open, in_review, approved
  due_date        date,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  approved_at     timestamptz,
  approved_by     uuid,
  reopen_reason   text,
  UNIQUE (firm_id, document, version, cycle, period)
);

CREATE TABLE campaign_items (
  id                uuid PRIMARY KEY,
  firm_id           uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  campaign_id       uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  path              text NOT NULL,
  item_id           text NOT NULL,
  applicability     text NOT NULL,
  applicability_reason text NOT NULL,
  result            text,               -- compliant, partial, non_compliant, not_applicable
  justification     text,
  notes             text,
  assessor_id       uuid,
  assessed_at       timestamptz,
  review_state      text NOT NULL DEFAULT 'pending',   -- pending, submitted, approved, returned
  reviewer_id       uuid,
  reviewed_at       timestamptz,
  review_comment    text,
  revision          integer NOT NULL DEFAULT 1,
  UNIQUE (campaign_id, path)
);
CREATE INDEX campaign_items_campaign ON campaign_items (campaign_id);

-- Content-addressed blobs (the local-disk store keeps files under data/blobs; this table records them).
CREATE TABLE blobs (
  sha256     text PRIMARY KEY,
  size       bigint NOT NULL,
  mime       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE evidence (
  id              uuid PRIMARY KEY,
  firm_id         uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  title           text NOT NULL,
  owner_id        uuid,
  collected_on    date NOT NULL,
  valid_until     date,
  retain_until    date NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  deleted_at      timestamptz
);

CREATE TABLE evidence_versions (
  evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  version     integer NOT NULL,
  sha256      text NOT NULL REFERENCES blobs (sha256),
  file_name   text NOT NULL,
  mime        text NOT NULL,
  size        bigint NOT NULL,
  uploaded_by uuid,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (evidence_id, version)
);

CREATE TABLE evidence_items (
  evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  item_id     text NOT NULL,           -- catalog id (CSIM:8.3.e) or lineage
  PRIMARY KEY (evidence_id, item_id)
);

CREATE TABLE campaign_item_evidence (
  campaign_item_id uuid NOT NULL REFERENCES campaign_items (id) ON DELETE CASCADE,
  evidence_id      uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
  firm_id          uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  PRIMARY KEY (campaign_item_id, evidence_id)
);

CREATE TABLE deficiencies (
  id                 uuid PRIMARY KEY,
  firm_id            uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  number             integer NOT NULL,
  title              text NOT NULL,
  source             text NOT NULL,   -- self_inspection, internal_audit, external_audit, exchange_inspection, automated_check
  items              jsonb NOT NULL DEFAULT '[]',
  severity           text NOT NULL,   -- high, medium, low
  state              text NOT NULL DEFAULT 'open',
  owner_id           uuid,
  due_date           date,
  plan               text,
  campaign_item_id   uuid REFERENCES campaign_items (id) ON DELETE SET NULL,
  check_run_id       uuid,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  verified_by        uuid,
  revision           integer NOT NULL DEFAULT 1,
  UNIQUE (firm_id, number)
);

CREATE TABLE deficiency_history (
  id             bigserial PRIMARY KEY,
  deficiency_id  uuid NOT NULL REFERENCES deficiencies (id) ON DELETE CASCADE,
  firm_id        uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_id       uuid,
  from_state     text,
  to_state       text NOT NULL,
  comment        text,
  changes        jsonb NOT NULL DEFAULT '{}'
);

-- ── Automated checks ──────────────────────────────────────────────────────────────────────────────
CREATE TABLE check_runs (
  id          uuid PRIMARY KEY,
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  check_id    text NOT NULL,
  status      text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  trigger     text NOT NULL,     -- upload, schedule, cli
  target      text,
  result      jsonb,
  evidence_id uuid REFERENCES evidence (id) ON DELETE SET NULL,
  created_by  uuid
);

CREATE TABLE check_schedules (
  id         uuid PRIMARY KEY,
  firm_id    uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  check_id   text NOT NULL,
  target     text NOT NULL,
  cron       text NOT NULL,
  options    jsonb NOT NULL DEFAULT '{}',
  enabled    boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Inspection findings recorded by the exchange's inspectors.
CREATE TABLE inspection_findings (
  id          uuid PRIMARY KEY,
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  inspector_id uuid NOT NULL,
  item_id     text NOT NULL,
  text        text NOT NULL,
  severity    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  deficiency_id uuid REFERENCES deficiencies (id) ON DELETE SET NULL
);

-- ── Row-level security: the second line of tenant isolation ──────────────────────────────────────
DO $$
BEGIN
  CREATE ROLE anjian_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT anjian_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;   -- a superuser may already act as any role
END $$;

CREATE FUNCTION anjian_firm_visible(target uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('anjian.firm_ids', true), '') = '*'
      OR target::text = ANY (string_to_array(coalesce(current_setting('anjian.firm_ids', true), ''), ','))
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['firm_profiles', 'campaigns', 'campaign_items', 'evidence', 'evidence_versions',
      'evidence_items', 'campaign_item_evidence', 'deficiencies', 'deficiency_history', 'check_runs',
      'check_schedules', 'inspection_findings', 'firm_settings', 'memberships']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (anjian_firm_visible(firm_id)) WITH CHECK (anjian_firm_visible(firm_id))', t);
  END LOOP;
END $$;

ALTER TABLE firms ENABLE ROW LEVEL SECURITY;
ALTER TABLE firms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON firms USING (anjian_firm_visible(id)) WITH CHECK (anjian_firm_visible(id));

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
  USING (firm_id IS NULL OR anjian_firm_visible(firm_id)) WITH CHECK (firm_id IS NULL OR anjian_firm_visible(firm_id));

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO anjian_app', current_schema()); END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO anjian_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO anjian_app;
