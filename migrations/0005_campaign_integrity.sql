-- Campaign integrity: what an approved campaign shows must not move under it.

-- The backfills below touch every firm's rows: let row-level security (forced on these tables, also
-- for their owner) show them all, for this migration's transaction only.
SELECT set_config('anjian.firm_ids', '*', true);

-- Each evidence link pins the version (and its SHA-256) that was linked, so a later upload of a new
-- version does not change what a submitted or approved item shows and exports. Existing links are
-- pinned to their evidence's latest version (deleted evidence has none left and stays unpinned).
ALTER TABLE campaign_item_evidence ADD COLUMN evidence_version integer;
ALTER TABLE campaign_item_evidence ADD COLUMN sha256 text;
-- The evidence title as linked, so a later rename does not change a reviewed item either.
ALTER TABLE campaign_item_evidence ADD COLUMN evidence_title text;
UPDATE campaign_item_evidence l SET evidence_version = v.version, sha256 = v.sha256
  FROM (SELECT DISTINCT ON (evidence_id) evidence_id, version, sha256 FROM evidence_versions ORDER BY evidence_id, version DESC) v
  WHERE v.evidence_id = l.evidence_id;
UPDATE campaign_item_evidence l SET evidence_title = e.title FROM evidence e WHERE e.id = l.evidence_id;

-- The firm-profile revision a campaign's items were chosen with (the profile in force at the period
-- end). Existing campaigns were built with the latest revision at their creation.
ALTER TABLE campaigns ADD COLUMN profile_revision integer;
UPDATE campaigns c SET profile_revision = (
  SELECT max(p.revision) FROM firm_profiles p WHERE p.firm_id = c.firm_id AND p.valid_from <= c.created_at
);

-- The campaign item view shows the deficiency raised from each item.
CREATE INDEX deficiencies_campaign_item ON deficiencies (campaign_item_id);
