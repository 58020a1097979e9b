-- Identity hardening: TOTP replay protection and a guard on the audit-chain heads.

-- The last TOTP time step accepted for a user (at enrolment or sign-in); a code of that step or an
-- earlier one is refused, so a code cannot be used twice within its window (RFC 6238 §5.2).
ALTER TABLE users ADD COLUMN mfa_last_step bigint;

-- A chain head only moves forward, one event at a time, onto an event that exists with that hash; it
-- can be neither deleted nor truncated, so removing or rewinding a head cannot hide a firm's chain
-- from verification. New heads start empty (sequence 0, the genesis hash).
CREATE FUNCTION audit_chain_heads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'audit chain heads cannot be truncated';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit chain heads cannot be deleted (chain %)', OLD.chain;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.last_seq <> 0 OR NEW.last_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'a new audit chain head starts at sequence 0 (chain %)', NEW.chain;
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.chain <> OLD.chain OR NEW.last_seq <> OLD.last_seq + 1 THEN
    RAISE EXCEPTION 'audit chain heads only move forward by one event (chain %: % -> %)', OLD.chain, OLD.last_seq, NEW.last_seq;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_events WHERE chain = NEW.chain AND seq = NEW.last_seq AND hash = NEW.last_hash) THEN
    RAISE EXCEPTION 'audit chain head must point at an existing event (chain %, seq %)', NEW.chain, NEW.last_seq;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_chain_heads_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_guard();
CREATE TRIGGER audit_chain_heads_truncate_guard BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_heads_guard();
