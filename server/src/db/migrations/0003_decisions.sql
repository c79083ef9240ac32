CREATE TABLE "decision" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" text NOT NULL,
	"fund_year" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"procedure" text NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"decided_on" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_status_chk" CHECK ("decision"."status" in ('in_progress','noticed','suspended','ready_for_review','rejected')),
	CONSTRAINT "decision_procedure_chk" CHECK ("decision"."procedure" in ('major','simplified'))
);
--> statement-breakpoint
CREATE TABLE "decision_notice" (
	"id" serial PRIMARY KEY NOT NULL,
	"decision_id" integer NOT NULL,
	"step_id" integer NOT NULL,
	"round" integer NOT NULL,
	"posted_on" text NOT NULL,
	"window_end" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"projects" jsonb NOT NULL,
	"representatives" integer NOT NULL,
	"objectors_needed" integer NOT NULL,
	"suspended_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_notice_status_chk" CHECK ("decision_notice"."status" in ('open','suspended','voided','closed')),
	CONSTRAINT "decision_notice_window_chk" CHECK ("decision_notice"."posted_on" < "decision_notice"."window_end")
);
--> statement-breakpoint
CREATE TABLE "decision_objection" (
	"id" serial PRIMARY KEY NOT NULL,
	"notice_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"representative_name" text NOT NULL,
	"channel" text NOT NULL,
	"reason" text,
	"received_on" text NOT NULL,
	"entered_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_objection_channel_chk" CHECK ("decision_objection"."channel" in ('online','paper'))
);
--> statement-breakpoint
CREATE TABLE "decision_project" (
	"id" serial PRIMARY KEY NOT NULL,
	"decision_id" integer NOT NULL,
	"proposal_id" integer NOT NULL,
	"rank" integer NOT NULL,
	"title" text NOT NULL,
	"catalogue_code" text NOT NULL,
	"category" text NOT NULL,
	"estimated_budget_fen" bigint NOT NULL,
	"internal_matter" boolean DEFAULT false NOT NULL,
	CONSTRAINT "decision_project_budget_chk" CHECK ("decision_project"."estimated_budget_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "decision_step" (
	"id" serial PRIMARY KEY NOT NULL,
	"decision_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"step" text NOT NULL,
	"body" text,
	"held_on" text NOT NULL,
	"expected_attendance" integer NOT NULL,
	"actual_attendance" integer NOT NULL,
	"outcome" text NOT NULL,
	"minutes" text NOT NULL,
	"attachments" jsonb NOT NULL,
	"present_members" jsonb,
	"recorded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_step_attendance_chk" CHECK ("decision_step"."expected_attendance" >= 0 and "decision_step"."actual_attendance" >= 0 and "decision_step"."actual_attendance" <= "decision_step"."expected_attendance")
);
--> statement-breakpoint
CREATE TABLE "decision_vote" (
	"step_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"votes_for" integer NOT NULL,
	"votes_against" integer NOT NULL,
	"votes_abstain" integer NOT NULL,
	"passed" boolean NOT NULL,
	CONSTRAINT "decision_vote_counts_chk" CHECK ("decision_vote"."votes_for" >= 0 and "decision_vote"."votes_against" >= 0 and "decision_vote"."votes_abstain" >= 0)
);
--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_campaign_id_needs_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."needs_campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_notice" ADD CONSTRAINT "decision_notice_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_notice" ADD CONSTRAINT "decision_notice_step_id_decision_step_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."decision_step"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_objection" ADD CONSTRAINT "decision_objection_notice_id_decision_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."decision_notice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_objection" ADD CONSTRAINT "decision_objection_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_project" ADD CONSTRAINT "decision_project_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_step" ADD CONSTRAINT "decision_step_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_vote" ADD CONSTRAINT "decision_vote_step_id_decision_step_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."decision_step"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_vote" ADD CONSTRAINT "decision_vote_project_id_decision_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."decision_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "decision_campaign_live_idx" ON "decision" USING btree ("campaign_id") WHERE "decision"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "decision_community_idx" ON "decision" USING btree ("community_code","fund_year");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_notice_round_idx" ON "decision_notice" USING btree ("decision_id","round");--> statement-breakpoint
CREATE INDEX "decision_notice_status_idx" ON "decision_notice" USING btree ("status","window_end");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_objection_once_idx" ON "decision_objection" USING btree ("notice_id","household_id","representative_name");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_project_decision_proposal_idx" ON "decision_project" USING btree ("decision_id","proposal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_step_seq_idx" ON "decision_step" USING btree ("decision_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_vote_step_project_idx" ON "decision_vote" USING btree ("step_id","project_id");