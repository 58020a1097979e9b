-- Exchange inspections: the result of each audit-chain verification (so the inspector view can show
-- the last one), and an index for the findings an inspector records on a firm.

CREATE TABLE audit_verifications (
  id          uuid PRIMARY KEY,
  firm_id     uuid NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
  verified_at timestamptz NOT NULL DEFAULT now(),
  verified_by uuid,
  ok          boolean NOT NULL,
  events      integer NOT NULL,
  problems    jsonb NOT NULL DEFAULT '[]',
  trigger     text NOT NULL        -- inspection, board_report
);
CREATE INDEX audit_verifications_firm ON audit_verifications (firm_id, verified_at DESC);

CREATE INDEX inspection_findings_firm ON inspection_findings (firm_id, created_at);

ALTER TABLE audit_verifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_verifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_verifications
  USING (anjian_firm_visible(firm_id)) WITH CHECK (anjian_firm_visible(firm_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON audit_verifications TO anjian_app;
