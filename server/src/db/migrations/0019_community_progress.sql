CREATE TABLE "community_progress" (
	"community_code" text NOT NULL,
	"fund_year" integer NOT NULL,
	"region_path" text NOT NULL,
	"district_code" text NOT NULL,
	"street_code" text NOT NULL,
	"stars" smallint NOT NULL,
	"step" smallint NOT NULL,
	"campaign_status" text,
	"registered_households" integer NOT NULL,
	"answered_households" integer NOT NULL,
	"decision_status" text,
	"plan_id" integer,
	"plan_status" text,
	"planned_fen" bigint NOT NULL,
	"contracted_fen" bigint NOT NULL,
	"account_id" integer,
	"allocated_fen" bigint NOT NULL,
	"committed_fen" bigint NOT NULL,
	"paid_fen" bigint NOT NULL,
	"available_fen" bigint NOT NULL,
	"midterm_excellent" integer NOT NULL,
	"midterm_good" integer NOT NULL,
	"midterm_pass" integer NOT NULL,
	"midterm_fail" integer NOT NULL,
	"midterm_outstanding" integer NOT NULL,
	"final_excellent" integer NOT NULL,
	"final_good" integer NOT NULL,
	"final_pass" integer NOT NULL,
	"final_fail" integer NOT NULL,
	"final_outstanding" integer NOT NULL,
	"review_due_on" date,
	"midterm_due_on" date,
	"final_due_on" date,
	CONSTRAINT "community_progress_community_code_fund_year_pk" PRIMARY KEY("community_code","fund_year"),
	CONSTRAINT "community_progress_step_chk" CHECK ("community_progress"."step" between 0 and 6)
);
--> statement-breakpoint
CREATE INDEX "community_progress_year_path_idx" ON "community_progress" USING btree ("fund_year","region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contract_community_idx" ON "contract" USING btree ("community_code","fund_year");--> statement-breakpoint
CREATE INDEX "evaluation_assignment_community_idx" ON "evaluation_assignment" USING btree ("community_code");--> statement-breakpoint
-- data:
-- The read model of ADR 0023. community_progress_compute recomputes rows from the source tables
-- (one fund year; the given communities, or all when p_codes is null): verify compares the stored
-- rows with it, and community_progress_refresh stores it. Triggers on every source table refresh
-- the rows a write touches in the write's own transaction; the two high-frequency counts
-- (households registered, households answered) and the ledger's figures are kept by increment.
CREATE FUNCTION "community_progress_compute"(p_year integer, p_codes text[]) RETURNS SETOF "community_progress" LANGUAGE sql STABLE AS $$
  WITH base AS (
    SELECT r.community_code, py.year AS fund_year, r.stars, c.path
    FROM policy_year py
    JOIN rating r ON r.year = (py.document->>'ratingYear')::int
    JOIN region c ON c.code = r.community_code
    WHERE py.year = p_year AND (p_codes IS NULL OR r.community_code = ANY (p_codes))
  )
  SELECT b.community_code, b.fund_year, b.path, split_part(b.path, '/', 2), split_part(b.path, '/', 3), b.stars,
    (CASE WHEN camp.id IS NULL THEN 0
          WHEN NOT (pf.filed OR EXISTS (SELECT 1 FROM decision d WHERE d.community_code = b.community_code AND d.fund_year = b.fund_year AND d.status IN ('noticed', 'ready_for_review'))) THEN 1
          WHEN NOT pf.filed THEN 2
          WHEN NOT pf.contracted THEN 3
          WHEN NOT pf.midterm THEN 4
          WHEN NOT pf.final THEN 5
          ELSE 6 END)::smallint,
    camp.status,
    (SELECT count(*)::int FROM household h WHERE h.community_code = b.community_code),
    CASE WHEN camp.id IS NULL THEN 0 ELSE (SELECT count(*)::int FROM needs_opinion o WHERE o.campaign_id = camp.id) END,
    dec.status,
    pl.id, pl.status,
    pf.planned_fen, ct.contracted_fen,
    acc.id,
    coalesce(acc.credits_posted - acc.debits_posted + acc.disbursed, 0),
    coalesce(acc.debits_pending, 0),
    coalesce(acc.disbursed, 0),
    coalesce(acc.credits_posted - acc.debits_posted - acc.debits_pending, 0),
    ev.midterm_excellent, ev.midterm_good, ev.midterm_pass, ev.midterm_fail, ev.midterm_outstanding,
    ev.final_excellent, ev.final_good, ev.final_pass, ev.final_fail, ev.final_outstanding,
    CASE WHEN pl.status = 'submitted' THEN pl.review_due_on END, ev.midterm_due_on, ev.final_due_on
  FROM base b
  LEFT JOIN needs_campaign camp ON camp.community_code = b.community_code AND camp.fund_year = b.fund_year
  LEFT JOIN LATERAL (
    SELECT d.status FROM decision d WHERE d.community_code = b.community_code AND d.fund_year = b.fund_year
    ORDER BY (d.status <> 'rejected') DESC, d.id DESC LIMIT 1
  ) dec ON true
  LEFT JOIN plan_community pc ON pc.community_code = b.community_code AND pc.fund_year = b.fund_year
  LEFT JOIN plan pl ON pl.id = pc.plan_id
  CROSS JOIN LATERAL (
    SELECT count(*) > 0 AS filed,
      coalesce(sum((SELECT sum((s->>'shareFen')::bigint) FROM jsonb_array_elements(pp.shares) s WHERE s->>'communityCode' = b.community_code)), 0)::bigint AS planned_fen,
      coalesce(bool_or(EXISTS (SELECT 1 FROM contract_project cp JOIN contract k ON k.id = cp.contract_id
        WHERE cp.plan_project_id = pp.id AND k.status IN ('signed', 'completed'))), false) AS contracted,
      coalesce(bool_or(EXISTS (SELECT 1 FROM evaluation_assignment a JOIN evaluation_round r ON r.id = a.round_id
        WHERE a.plan_project_id = pp.id AND a.status = 'concluded' AND r.kind = 'midterm' AND r.fund_year = b.fund_year)), false) AS midterm,
      coalesce(bool_or(EXISTS (SELECT 1 FROM evaluation_assignment a JOIN evaluation_round r ON r.id = a.round_id
        WHERE a.plan_project_id = pp.id AND a.status = 'concluded' AND r.kind = 'final' AND r.fund_year = b.fund_year)), false) AS final
    FROM plan_project pp
    WHERE pl.status = 'filed' AND pp.plan_id = pl.id AND pp.community_codes @> jsonb_build_array(b.community_code)
  ) pf
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(u.amount_fen), 0)::bigint AS contracted_fen FROM (
      SELECT s.amount_fen FROM contract_share s JOIN contract k ON k.id = s.contract_id
      WHERE s.community_code = b.community_code AND k.fund_year = b.fund_year AND k.status IN ('signed', 'completed')
      UNION ALL
      SELECT k.amount_fen FROM contract k
      WHERE k.community_code = b.community_code AND k.fund_year = b.fund_year AND k.status IN ('signed', 'completed')
        AND NOT EXISTS (SELECT 1 FROM contract_share s WHERE s.contract_id = k.id)
    ) u
  ) ct
  LEFT JOIN LATERAL (
    SELECT a.id, a.credits_posted, a.debits_posted, a.debits_pending,
      (SELECT coalesce(sum(t.amount), 0) FROM ledger_transfer t
       WHERE t.fund_year = b.fund_year AND t.code = 'disbursement' AND t.debit_account_id = a.id) AS disbursed
    FROM ledger_account a WHERE a.fund_year = b.fund_year AND a.kind = 'community_available' AND a.ref = b.community_code
  ) acc ON true
  CROSS JOIN LATERAL (
    SELECT
      count(*) FILTER (WHERE r.kind = 'midterm' AND a.grade = 'excellent')::int AS midterm_excellent,
      count(*) FILTER (WHERE r.kind = 'midterm' AND a.grade = 'good')::int AS midterm_good,
      count(*) FILTER (WHERE r.kind = 'midterm' AND a.grade = 'pass')::int AS midterm_pass,
      count(*) FILTER (WHERE r.kind = 'midterm' AND a.grade = 'fail')::int AS midterm_fail,
      count(*) FILTER (WHERE r.kind = 'midterm' AND a.status <> 'concluded')::int AS midterm_outstanding,
      min(r.due_on) FILTER (WHERE r.kind = 'midterm' AND a.status <> 'concluded' AND r.status = 'open') AS midterm_due_on,
      count(*) FILTER (WHERE r.kind = 'final' AND a.grade = 'excellent')::int AS final_excellent,
      count(*) FILTER (WHERE r.kind = 'final' AND a.grade = 'good')::int AS final_good,
      count(*) FILTER (WHERE r.kind = 'final' AND a.grade = 'pass')::int AS final_pass,
      count(*) FILTER (WHERE r.kind = 'final' AND a.grade = 'fail')::int AS final_fail,
      count(*) FILTER (WHERE r.kind = 'final' AND a.status <> 'concluded')::int AS final_outstanding,
      min(r.due_on) FILTER (WHERE r.kind = 'final' AND a.status <> 'concluded' AND r.status = 'open') AS final_due_on
    FROM evaluation_assignment a JOIN evaluation_round r ON r.id = a.round_id
    WHERE a.community_code = b.community_code AND r.fund_year = b.fund_year
  ) ev
$$;--> statement-breakpoint
CREATE FUNCTION "community_progress_refresh"(p_year integer, p_codes text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_codes IS NOT NULL AND cardinality(p_codes) = 0 THEN RETURN; END IF;
  INSERT INTO community_progress SELECT * FROM community_progress_compute(p_year, p_codes)
  ON CONFLICT (community_code, fund_year) DO UPDATE SET ("region_path", "district_code", "street_code", "stars", "step", "campaign_status", "registered_households", "answered_households", "decision_status", "plan_id", "plan_status", "planned_fen", "contracted_fen", "account_id", "allocated_fen", "committed_fen", "paid_fen", "available_fen", "midterm_excellent", "midterm_good", "midterm_pass", "midterm_fail", "midterm_outstanding", "final_excellent", "final_good", "final_pass", "final_fail", "final_outstanding", "review_due_on", "midterm_due_on", "final_due_on") = (EXCLUDED."region_path", EXCLUDED."district_code", EXCLUDED."street_code", EXCLUDED."stars", EXCLUDED."step", EXCLUDED."campaign_status", EXCLUDED."registered_households", EXCLUDED."answered_households", EXCLUDED."decision_status", EXCLUDED."plan_id", EXCLUDED."plan_status", EXCLUDED."planned_fen", EXCLUDED."contracted_fen", EXCLUDED."account_id", EXCLUDED."allocated_fen", EXCLUDED."committed_fen", EXCLUDED."paid_fen", EXCLUDED."available_fen", EXCLUDED."midterm_excellent", EXCLUDED."midterm_good", EXCLUDED."midterm_pass", EXCLUDED."midterm_fail", EXCLUDED."midterm_outstanding", EXCLUDED."final_excellent", EXCLUDED."final_good", EXCLUDED."final_pass", EXCLUDED."final_fail", EXCLUDED."final_outstanding", EXCLUDED."review_due_on", EXCLUDED."midterm_due_on", EXCLUDED."final_due_on")
  WHERE (community_progress.*) IS DISTINCT FROM (EXCLUDED.*);
  -- A community no longer rated in the policy's rating year (or a year without a policy) has no row.
  DELETE FROM community_progress cp
  WHERE cp.fund_year = p_year AND (p_codes IS NULL OR cp.community_code = ANY (p_codes))
    AND NOT EXISTS (SELECT 1 FROM policy_year py JOIN rating r ON r.year = (py.document->>'ratingYear')::int
                    WHERE py.year = p_year AND r.community_code = cp.community_code);
END $$;--> statement-breakpoint
-- Every row recomputed (the backfill, and the bench loader after a bulk load).
CREATE FUNCTION "community_progress_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
DECLARE y integer;
BEGIN
  DELETE FROM community_progress cp WHERE NOT EXISTS (SELECT 1 FROM policy_year py WHERE py.year = cp.fund_year);
  FOR y IN SELECT year FROM policy_year ORDER BY year LOOP
    PERFORM community_progress_refresh(y, NULL);
  END LOOP;
END $$;--> statement-breakpoint
-- Row triggers of the low-frequency source tables: the touched community-years recomputed.
CREATE FUNCTION "community_progress_on_community_year"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM community_progress_refresh(OLD.fund_year, array[OLD.community_code]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM community_progress_refresh(NEW.fund_year, array[NEW.community_code]); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_needs_campaign" AFTER INSERT OR UPDATE OR DELETE ON "needs_campaign" FOR EACH ROW EXECUTE FUNCTION community_progress_on_community_year();--> statement-breakpoint
CREATE TRIGGER "community_progress_decision" AFTER INSERT OR UPDATE OR DELETE ON "decision" FOR EACH ROW EXECUTE FUNCTION community_progress_on_community_year();--> statement-breakpoint
CREATE TRIGGER "community_progress_plan_community" AFTER INSERT OR UPDATE OR DELETE ON "plan_community" FOR EACH ROW EXECUTE FUNCTION community_progress_on_community_year();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_rating"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r rating;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM community_progress_refresh(py.year, array[r.community_code]) FROM policy_year py WHERE (py.document->>'ratingYear')::int = r.year;
  IF TG_OP = 'UPDATE' AND (OLD.year, OLD.community_code) IS DISTINCT FROM (NEW.year, NEW.community_code) THEN
    PERFORM community_progress_refresh(py.year, array[OLD.community_code]) FROM policy_year py WHERE (py.document->>'ratingYear')::int = OLD.year;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_rating" AFTER INSERT OR UPDATE OR DELETE ON "rating" FOR EACH ROW EXECUTE FUNCTION community_progress_on_rating();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_policy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM community_progress_refresh(OLD.year, NULL); END IF;
  IF TG_OP <> 'DELETE' THEN
    -- A policy edited without touching its rating year changes no row: skip the whole-year recompute.
    IF TG_OP = 'UPDATE' AND OLD.document->'ratingYear' IS NOT DISTINCT FROM NEW.document->'ratingYear' THEN RETURN NULL; END IF;
    PERFORM community_progress_refresh(NEW.year, NULL);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_policy_year" AFTER INSERT OR UPDATE OR DELETE ON "policy_year" FOR EACH ROW EXECUTE FUNCTION community_progress_on_policy();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_region"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM community_progress_refresh(y.fund_year, array[NEW.code]) FROM (SELECT DISTINCT fund_year FROM community_progress WHERE community_code = NEW.code) y;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_region" AFTER UPDATE OF "path" ON "region" FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION community_progress_on_region();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_plan"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p plan;
BEGIN
  IF TG_OP = 'DELETE' THEN p := OLD; ELSE p := NEW; END IF;
  PERFORM community_progress_refresh(p.fund_year, array(SELECT pc.community_code FROM plan_community pc WHERE pc.plan_id = p.id
    UNION SELECT p.community_code WHERE p.community_code IS NOT NULL));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_plan" AFTER INSERT OR UPDATE OR DELETE ON "plan" FOR EACH ROW EXECUTE FUNCTION community_progress_on_plan();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_plan_project"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM community_progress_refresh(p.fund_year, array(SELECT jsonb_array_elements_text(OLD.community_codes))) FROM plan p WHERE p.id = OLD.plan_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM community_progress_refresh(p.fund_year, array(SELECT jsonb_array_elements_text(NEW.community_codes))) FROM plan p WHERE p.id = NEW.plan_id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_plan_project" AFTER INSERT OR UPDATE OR DELETE ON "plan_project" FOR EACH ROW EXECUTE FUNCTION community_progress_on_plan_project();--> statement-breakpoint
-- The communities a contract touches: its funding community, its shares' and its projects' communities.
CREATE FUNCTION "community_progress_refresh_contract"(p_contract_id integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM community_progress_refresh(k.fund_year, array(
    SELECT k.community_code WHERE k.community_code IS NOT NULL
    UNION SELECT s.community_code FROM contract_share s WHERE s.contract_id = k.id
    UNION SELECT jsonb_array_elements_text(pp.community_codes) FROM contract_project cp JOIN plan_project pp ON pp.id = cp.plan_project_id WHERE cp.contract_id = k.id))
  FROM contract k WHERE k.id = p_contract_id;
END $$;--> statement-breakpoint
CREATE FUNCTION "community_progress_on_contract"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM community_progress_refresh(OLD.fund_year, array[OLD.community_code]); RETURN NULL; END IF;
  PERFORM community_progress_refresh_contract(NEW.id);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_contract" AFTER INSERT OR UPDATE OR DELETE ON "contract" FOR EACH ROW EXECUTE FUNCTION community_progress_on_contract();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_contract_part"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM community_progress_refresh_contract(OLD.contract_id); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM community_progress_refresh_contract(NEW.contract_id); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_contract_project" AFTER INSERT OR UPDATE OR DELETE ON "contract_project" FOR EACH ROW EXECUTE FUNCTION community_progress_on_contract_part();--> statement-breakpoint
CREATE TRIGGER "community_progress_contract_share" AFTER INSERT OR UPDATE OR DELETE ON "contract_share" FOR EACH ROW EXECUTE FUNCTION community_progress_on_contract_part();--> statement-breakpoint
-- An assignment counts for its community's grades and for the funnel of every community its project serves.
CREATE FUNCTION "community_progress_refresh_assignment"(p_round_id integer, p_project_id integer, p_community text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM community_progress_refresh(r.fund_year, array(
    SELECT p_community UNION SELECT jsonb_array_elements_text(pp.community_codes) FROM plan_project pp WHERE pp.id = p_project_id))
  FROM evaluation_round r WHERE r.id = p_round_id;
END $$;--> statement-breakpoint
CREATE FUNCTION "community_progress_on_assignment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM community_progress_refresh_assignment(OLD.round_id, OLD.plan_project_id, OLD.community_code); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM community_progress_refresh_assignment(NEW.round_id, NEW.plan_project_id, NEW.community_code); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_evaluation_assignment" AFTER INSERT OR UPDATE OR DELETE ON "evaluation_assignment" FOR EACH ROW EXECUTE FUNCTION community_progress_on_assignment();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_round"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM community_progress_refresh(NEW.fund_year, array(SELECT DISTINCT a.community_code FROM evaluation_assignment a WHERE a.round_id = NEW.id));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_evaluation_round" AFTER UPDATE ON "evaluation_round" FOR EACH ROW EXECUTE FUNCTION community_progress_on_round();--> statement-breakpoint
-- Households and opinions: counted by increment, once per statement (a bulk import is one update per community).
CREATE FUNCTION "community_progress_households_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET registered_households = cp.registered_households + d.n
  FROM (SELECT community_code, count(*)::int AS n FROM added GROUP BY community_code) d WHERE cp.community_code = d.community_code;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "community_progress_households_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET registered_households = cp.registered_households - d.n
  FROM (SELECT community_code, count(*)::int AS n FROM removed GROUP BY community_code) d WHERE cp.community_code = d.community_code;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_household_insert" AFTER INSERT ON "household" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION community_progress_households_added();--> statement-breakpoint
CREATE TRIGGER "community_progress_household_delete" AFTER DELETE ON "household" REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION community_progress_households_removed();--> statement-breakpoint
CREATE FUNCTION "community_progress_opinions_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET answered_households = cp.answered_households + d.n
  FROM (SELECT c.community_code, c.fund_year, count(*)::int AS n FROM added o JOIN needs_campaign c ON c.id = o.campaign_id GROUP BY c.community_code, c.fund_year) d
  WHERE cp.community_code = d.community_code AND cp.fund_year = d.fund_year;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "community_progress_opinions_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET answered_households = cp.answered_households - d.n
  FROM (SELECT c.community_code, c.fund_year, count(*)::int AS n FROM removed o JOIN needs_campaign c ON c.id = o.campaign_id GROUP BY c.community_code, c.fund_year) d
  WHERE cp.community_code = d.community_code AND cp.fund_year = d.fund_year;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_opinion_insert" AFTER INSERT ON "needs_opinion" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION community_progress_opinions_added();--> statement-breakpoint
CREATE TRIGGER "community_progress_opinion_delete" AFTER DELETE ON "needs_opinion" REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION community_progress_opinions_removed();--> statement-breakpoint
-- An update that moves a household to another community, or an opinion to another campaign (a hand edit): net deltas only.
CREATE FUNCTION "community_progress_households_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET registered_households = cp.registered_households + d.n
  FROM (SELECT community_code, sum(n)::int AS n FROM (SELECT community_code, 1 AS n FROM added UNION ALL SELECT community_code, -1 FROM removed) x
        GROUP BY community_code HAVING sum(n) <> 0) d
  WHERE cp.community_code = d.community_code;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_household_update" AFTER UPDATE ON "household" REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION community_progress_households_moved();--> statement-breakpoint
CREATE FUNCTION "community_progress_opinions_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET answered_households = cp.answered_households + d.n
  FROM (SELECT c.community_code, c.fund_year, sum(x.n)::int AS n
        FROM (SELECT campaign_id, 1 AS n FROM added UNION ALL SELECT campaign_id, -1 FROM removed) x JOIN needs_campaign c ON c.id = x.campaign_id
        GROUP BY c.community_code, c.fund_year HAVING sum(x.n) <> 0) d
  WHERE cp.community_code = d.community_code AND cp.fund_year = d.fund_year;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_opinion_update" AFTER UPDATE ON "needs_opinion" REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION community_progress_opinions_moved();--> statement-breakpoint
-- The ledger: a community account's balances and its disbursements, copied into its row (figuresOf in funds.service.ts).
CREATE FUNCTION "community_progress_on_account"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET account_id = NEW.id,
    allocated_fen = NEW.credits_posted - NEW.debits_posted + cp.paid_fen,
    committed_fen = NEW.debits_pending,
    available_fen = NEW.credits_posted - NEW.debits_posted - NEW.debits_pending
  WHERE cp.community_code = NEW.ref AND cp.fund_year = NEW.fund_year;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_ledger_account" AFTER INSERT OR UPDATE ON "ledger_account" FOR EACH ROW WHEN (NEW.kind = 'community_available') EXECUTE FUNCTION community_progress_on_account();--> statement-breakpoint
CREATE FUNCTION "community_progress_on_disbursement"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE community_progress cp SET paid_fen = cp.paid_fen + NEW.amount,
    allocated_fen = a.credits_posted - a.debits_posted + cp.paid_fen + NEW.amount
  FROM ledger_account a
  WHERE a.id = NEW.debit_account_id AND a.kind = 'community_available' AND cp.community_code = a.ref AND cp.fund_year = a.fund_year;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "community_progress_ledger_disbursement" AFTER INSERT ON "ledger_transfer" FOR EACH ROW WHEN (NEW.code = 'disbursement') EXECUTE FUNCTION community_progress_on_disbursement();--> statement-breakpoint
SELECT community_progress_rebuild();
