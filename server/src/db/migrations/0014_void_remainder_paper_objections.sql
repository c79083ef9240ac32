-- Issue 16: paper objections count by the day they were received [N 3.1.2(1)]; a failed final
-- evaluation voids a contract's unpaid remainder [N 3.2].
-- received_on is already a date (0013_real_dates, which refuses a stored value that is not a real date).
-- entered_on (the China date an objection was typed in) is backfilled from the creation date, never before received_on.
ALTER TABLE "decision_objection" ADD COLUMN "entered_on" date;--> statement-breakpoint
UPDATE "decision_objection" SET "entered_on" = greatest(("created_at" AT TIME ZONE 'Asia/Shanghai')::date, "received_on");--> statement-breakpoint
ALTER TABLE "decision_objection" ALTER COLUMN "entered_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "decision_objection" ADD CONSTRAINT "decision_objection_received_chk" CHECK ("decision_objection"."received_on" <= "decision_objection"."entered_on");--> statement-breakpoint
ALTER TABLE "decision_notice" ADD COLUMN "suspend_reason" text;--> statement-breakpoint
ALTER TABLE "contract" ADD COLUMN "remainder_voided_on" date;--> statement-breakpoint
ALTER TABLE "contract" ADD COLUMN "remainder_void_reason" text;--> statement-breakpoint
UPDATE "policy_year" SET "document" = "document" || '{"objectionEntryGraceWorkdays": 3}'::jsonb WHERE NOT ("document" ? 'objectionEntryGraceWorkdays');
