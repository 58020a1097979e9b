-- Self-inspections, evidence and deficiencies: columns the services need beyond 0001.

-- A campaign covers one inspection period; its dates decide applicability (at the period end),
-- carrying evidence forward and the dashboard's trend.
ALTER TABLE campaigns ADD COLUMN period_start date;
ALTER TABLE campaigns ADD COLUMN period_end date;
ALTER TABLE campaigns ADD COLUMN reopened_at timestamptz;
ALTER TABLE campaigns ADD COLUMN reopened_by uuid;
ALTER TABLE campaigns ADD COLUMN revision integer NOT NULL DEFAULT 1;

-- The section code (CC-17010) and lineage of each item, so progress is grouped by section and
-- evidence can follow an item across catalog versions.
ALTER TABLE campaign_items ADD COLUMN section text;
ALTER TABLE campaign_items ADD COLUMN lineage text;
ALTER TABLE campaign_items ADD COLUMN ord integer NOT NULL DEFAULT 0;

ALTER TABLE evidence ADD COLUMN description text;

-- The follow-up report (CSIM 11.(2)) needs a description of the finding and the recommendation.
ALTER TABLE deficiencies ADD COLUMN description text;
ALTER TABLE deficiencies ADD COLUMN recommendation text;

CREATE INDEX evidence_versions_sha ON evidence_versions (sha256);
CREATE INDEX campaign_item_evidence_evidence ON campaign_item_evidence (evidence_id);
CREATE INDEX deficiencies_firm_state ON deficiencies (firm_id, state);
CREATE INDEX campaigns_firm ON campaigns (firm_id, period_end);
