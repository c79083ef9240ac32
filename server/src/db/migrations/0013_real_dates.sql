-- Every stored calendar date becomes a `date` column (issue 16). First, every value is checked:
-- one that is not a real date 'YYYY-MM-DD' (year 0001-9999, month 01-12, a day the month has)
-- stops the migration with the table, column, row id and value of each, and nothing changes
-- (the migration runs in one transaction). Nothing is coerced: correct the rows, migrate again.
DO $$
DECLARE
  target record;
  bad record;
  problems text := '';
  found_count integer := 0;
BEGIN
  FOR target IN
    SELECT * FROM (VALUES
      ('decision', 'decided_on'),
      ('decision_step', 'held_on'),
      ('decision_notice', 'posted_on'),
      ('decision_notice', 'window_end'),
      ('decision_objection', 'received_on'),
      ('delivery_activity', 'held_on'),
      ('plan_adjustment', 'proposed_on'),
      ('plan_adjustment', 'decided_on'),
      ('disclosure_record', 'published_on'),
      ('evaluation_round', 'due_on'),
      ('evaluation_round', 'opened_on'),
      ('evaluation_round', 'closed_on'),
      ('evaluation_assignment', 'meeting_on'),
      ('evaluation_assignment', 'concluded_on'),
      ('evaluation_fee', 'paid_on'),
      ('needs_campaign', 'opens_on'),
      ('needs_campaign', 'closes_on'),
      ('plan', 'submitted_on'),
      ('plan', 'review_due_on'),
      ('plan', 'approved_on'),
      ('plan', 'filed_on'),
      ('plan', 'returned_on'),
      ('plan_review', 'decided_on'),
      ('provider_qualification', 'valid_until'),
      ('procurement', 'decided_on'),
      ('contract', 'starts_on'),
      ('contract', 'ends_on'),
      ('contract', 'signed_on'),
      ('contract', 'cancelled_on'),
      ('contract_instalment', 'due_on'),
      ('contract_instalment', 'paid_on'),
      ('payment_request', 'requested_on'),
      ('payment_request', 'decided_on'),
      ('district_report', 'filed_on'),
      ('district_report', 'acknowledged_on'),
      ('spot_check', 'drawn_on'),
      ('street_visit', 'visited_on'),
      ('supervision_finding', 'found_on'),
      ('supervision_finding', 'deadline_on'),
      ('supervision_finding', 'responded_on'),
      ('supervision_finding', 'closed_on'),
      ('model_case', 'published_on'),
      ('calendar_due_date_change', 'before'),
      ('calendar_due_date_change', 'after')
    ) AS t(tbl, col)
  LOOP
    FOR bad IN EXECUTE format(
      'SELECT id::text AS id, %1$I AS value FROM %2$I '
      'WHERE %1$I IS NOT NULL AND NOT CASE '
      'WHEN %1$I !~ ''^[0-9]{4}-[0-9]{2}-[0-9]{2}$'' THEN false '
      'WHEN substr(%1$I, 1, 4)::int < 1 OR substr(%1$I, 6, 2)::int NOT BETWEEN 1 AND 12 OR substr(%1$I, 9, 2)::int < 1 THEN false '
      'ELSE substr(%1$I, 9, 2)::int <= extract(day from make_date(substr(%1$I, 1, 4)::int, substr(%1$I, 6, 2)::int, 1) + interval ''1 month'' - interval ''1 day'') '
      'END ORDER BY %2$I.id',
      target.col, target.tbl)
    LOOP
      found_count := found_count + 1;
      IF found_count <= 50 THEN
        problems := problems || format(E'\n  %s.%s id=%s value=%L', target.tbl, target.col, bad.id, bad.value);
      END IF;
    END LOOP;
  END LOOP;
  IF found_count > 0 THEN
    RAISE EXCEPTION 'migration 0013_real_dates refused: % stored value(s) are not real dates (YYYY-MM-DD); nothing was changed. Correct them and migrate again:%', found_count, problems
      USING ERRCODE = 'data_exception';
  END IF;
END $$;
--> statement-breakpoint
ALTER TABLE "decision" ALTER COLUMN "decided_on" SET DATA TYPE date USING "decided_on"::date;
--> statement-breakpoint
ALTER TABLE "decision_step" ALTER COLUMN "held_on" SET DATA TYPE date USING "held_on"::date;
--> statement-breakpoint
ALTER TABLE "decision_notice" ALTER COLUMN "posted_on" SET DATA TYPE date USING "posted_on"::date, ALTER COLUMN "window_end" SET DATA TYPE date USING "window_end"::date;
--> statement-breakpoint
ALTER TABLE "decision_objection" ALTER COLUMN "received_on" SET DATA TYPE date USING "received_on"::date;
--> statement-breakpoint
ALTER TABLE "delivery_activity" ALTER COLUMN "held_on" SET DATA TYPE date USING "held_on"::date;
--> statement-breakpoint
ALTER TABLE "plan_adjustment" ALTER COLUMN "proposed_on" SET DATA TYPE date USING "proposed_on"::date, ALTER COLUMN "decided_on" SET DATA TYPE date USING "decided_on"::date;
--> statement-breakpoint
ALTER TABLE "disclosure_record" ALTER COLUMN "published_on" SET DATA TYPE date USING "published_on"::date;
--> statement-breakpoint
ALTER TABLE "evaluation_round" ALTER COLUMN "due_on" SET DATA TYPE date USING "due_on"::date, ALTER COLUMN "opened_on" SET DATA TYPE date USING "opened_on"::date, ALTER COLUMN "closed_on" SET DATA TYPE date USING "closed_on"::date;
--> statement-breakpoint
ALTER TABLE "evaluation_assignment" ALTER COLUMN "meeting_on" SET DATA TYPE date USING "meeting_on"::date, ALTER COLUMN "concluded_on" SET DATA TYPE date USING "concluded_on"::date;
--> statement-breakpoint
ALTER TABLE "evaluation_fee" ALTER COLUMN "paid_on" SET DATA TYPE date USING "paid_on"::date;
--> statement-breakpoint
ALTER TABLE "needs_campaign" ALTER COLUMN "opens_on" SET DATA TYPE date USING "opens_on"::date, ALTER COLUMN "closes_on" SET DATA TYPE date USING "closes_on"::date;
--> statement-breakpoint
ALTER TABLE "plan" ALTER COLUMN "submitted_on" SET DATA TYPE date USING "submitted_on"::date, ALTER COLUMN "review_due_on" SET DATA TYPE date USING "review_due_on"::date, ALTER COLUMN "approved_on" SET DATA TYPE date USING "approved_on"::date, ALTER COLUMN "filed_on" SET DATA TYPE date USING "filed_on"::date, ALTER COLUMN "returned_on" SET DATA TYPE date USING "returned_on"::date;
--> statement-breakpoint
ALTER TABLE "plan_review" ALTER COLUMN "decided_on" SET DATA TYPE date USING "decided_on"::date;
--> statement-breakpoint
ALTER TABLE "provider_qualification" ALTER COLUMN "valid_until" SET DATA TYPE date USING "valid_until"::date;
--> statement-breakpoint
ALTER TABLE "procurement" ALTER COLUMN "decided_on" SET DATA TYPE date USING "decided_on"::date;
--> statement-breakpoint
ALTER TABLE "contract" ALTER COLUMN "starts_on" SET DATA TYPE date USING "starts_on"::date, ALTER COLUMN "ends_on" SET DATA TYPE date USING "ends_on"::date, ALTER COLUMN "signed_on" SET DATA TYPE date USING "signed_on"::date, ALTER COLUMN "cancelled_on" SET DATA TYPE date USING "cancelled_on"::date;
--> statement-breakpoint
ALTER TABLE "contract_instalment" ALTER COLUMN "due_on" SET DATA TYPE date USING "due_on"::date, ALTER COLUMN "paid_on" SET DATA TYPE date USING "paid_on"::date;
--> statement-breakpoint
ALTER TABLE "payment_request" ALTER COLUMN "requested_on" SET DATA TYPE date USING "requested_on"::date, ALTER COLUMN "decided_on" SET DATA TYPE date USING "decided_on"::date;
--> statement-breakpoint
ALTER TABLE "district_report" ALTER COLUMN "filed_on" SET DATA TYPE date USING "filed_on"::date, ALTER COLUMN "acknowledged_on" SET DATA TYPE date USING "acknowledged_on"::date;
--> statement-breakpoint
ALTER TABLE "spot_check" ALTER COLUMN "drawn_on" SET DATA TYPE date USING "drawn_on"::date;
--> statement-breakpoint
ALTER TABLE "street_visit" ALTER COLUMN "visited_on" SET DATA TYPE date USING "visited_on"::date;
--> statement-breakpoint
ALTER TABLE "supervision_finding" ALTER COLUMN "found_on" SET DATA TYPE date USING "found_on"::date, ALTER COLUMN "deadline_on" SET DATA TYPE date USING "deadline_on"::date, ALTER COLUMN "responded_on" SET DATA TYPE date USING "responded_on"::date, ALTER COLUMN "closed_on" SET DATA TYPE date USING "closed_on"::date;
--> statement-breakpoint
ALTER TABLE "model_case" ALTER COLUMN "published_on" SET DATA TYPE date USING "published_on"::date;
--> statement-breakpoint
ALTER TABLE "calendar_due_date_change" ALTER COLUMN "before" SET DATA TYPE date USING "before"::date, ALTER COLUMN "after" SET DATA TYPE date USING "after"::date;
