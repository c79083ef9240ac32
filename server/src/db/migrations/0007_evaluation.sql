CREATE TABLE "evaluation_assignment" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"plan_project_id" integer NOT NULL,
	"community_code" text NOT NULL,
	"region_path" text NOT NULL,
	"budget_fen" bigint NOT NULL,
	"method" text NOT NULL,
	"evaluator_org_id" integer,
	"meeting_on" text,
	"status" text DEFAULT 'assigned' NOT NULL,
	"score_bp" integer,
	"grade" text,
	"people_covered" integer,
	"conclusion" text DEFAULT '' NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"concluded_on" text,
	"concluded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_assignment_method_chk" CHECK (("evaluation_assignment"."method" = 'third_party') = ("evaluation_assignment"."evaluator_org_id" is not null)),
	CONSTRAINT "evaluation_assignment_score_chk" CHECK ("evaluation_assignment"."score_bp" is null or ("evaluation_assignment"."score_bp" >= 0 and "evaluation_assignment"."score_bp" <= 10000))
);
--> statement-breakpoint
CREATE TABLE "evaluation_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"assignment_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text,
	"added_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_fee" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"evaluator_org_id" integer,
	"amount_fen" bigint NOT NULL,
	"paid_on" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"transfer_id" text NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_fee_amount_chk" CHECK ("evaluation_fee"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "evaluation_participant" (
	"id" serial PRIMARY KEY NOT NULL,
	"assignment_id" integer NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"affiliation" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_round" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"district_code" text NOT NULL,
	"region_path" text NOT NULL,
	"due_on" text NOT NULL,
	"opened_on" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_on" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_round_kind_chk" CHECK ("evaluation_round"."kind" in ('midterm','final')),
	CONSTRAINT "evaluation_round_status_chk" CHECK ("evaluation_round"."status" in ('open','closed'))
);
--> statement-breakpoint
CREATE TABLE "evaluation_score" (
	"assignment_id" integer NOT NULL,
	"item_code" text NOT NULL,
	"weight" integer NOT NULL,
	"score" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "evaluation_score_assignment_id_item_code_pk" PRIMARY KEY("assignment_id","item_code"),
	CONSTRAINT "evaluation_score_range_chk" CHECK ("evaluation_score"."score" >= 0 and "evaluation_score"."score" <= 100)
);
--> statement-breakpoint
CREATE TABLE "evaluator_org" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credit_code" text,
	"contact" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "district_report" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"district_code" text NOT NULL,
	"region_path" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"figures" jsonb,
	"filed_on" text,
	"filed_by_user_id" integer,
	"acknowledged_on" text,
	"acknowledgement_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "district_report_status_chk" CHECK ("district_report"."status" in ('draft','filed','acknowledged'))
);
--> statement-breakpoint
CREATE TABLE "model_case" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_project_id" integer NOT NULL,
	"fund_year" integer NOT NULL,
	"community_code" text NOT NULL,
	"region_path" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"results" text DEFAULT '' NOT NULL,
	"photos" jsonb NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"published_on" text,
	"author_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_check" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"title" text NOT NULL,
	"unit" text NOT NULL,
	"seed" text NOT NULL,
	"size" integer,
	"share_percent" integer,
	"stratify_by_district" boolean DEFAULT false NOT NULL,
	"stratify_by_stars" boolean DEFAULT false NOT NULL,
	"population" jsonb NOT NULL,
	"sample" jsonb NOT NULL,
	"drawn_on" text NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spot_check_unit_chk" CHECK ("spot_check"."unit" in ('community','project'))
);
--> statement-breakpoint
CREATE TABLE "street_visit" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_code" text NOT NULL,
	"community_code" text NOT NULL,
	"region_path" text NOT NULL,
	"visited_on" text NOT NULL,
	"aspects" jsonb NOT NULL,
	"summary" text NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_finding" (
	"id" serial PRIMARY KEY NOT NULL,
	"spot_check_id" integer,
	"visit_id" integer,
	"community_code" text NOT NULL,
	"plan_project_id" integer,
	"region_path" text NOT NULL,
	"description" text NOT NULL,
	"demand" text NOT NULL,
	"found_on" text NOT NULL,
	"workdays" integer NOT NULL,
	"deadline_on" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"response" text,
	"responded_on" text,
	"closed_on" text,
	"closing_note" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_finding_source_chk" CHECK (("supervision_finding"."spot_check_id" is null) <> ("supervision_finding"."visit_id" is null)),
	CONSTRAINT "supervision_finding_status_chk" CHECK ("supervision_finding"."status" in ('open','responded','closed'))
);
--> statement-breakpoint
ALTER TABLE "evaluation_assignment" ADD CONSTRAINT "evaluation_assignment_round_id_evaluation_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."evaluation_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_assignment" ADD CONSTRAINT "evaluation_assignment_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_assignment" ADD CONSTRAINT "evaluation_assignment_evaluator_org_id_evaluator_org_id_fk" FOREIGN KEY ("evaluator_org_id") REFERENCES "public"."evaluator_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_evidence" ADD CONSTRAINT "evaluation_evidence_assignment_id_evaluation_assignment_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."evaluation_assignment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_fee" ADD CONSTRAINT "evaluation_fee_round_id_evaluation_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."evaluation_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_fee" ADD CONSTRAINT "evaluation_fee_evaluator_org_id_evaluator_org_id_fk" FOREIGN KEY ("evaluator_org_id") REFERENCES "public"."evaluator_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_participant" ADD CONSTRAINT "evaluation_participant_assignment_id_evaluation_assignment_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."evaluation_assignment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_round" ADD CONSTRAINT "evaluation_round_district_code_region_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_score" ADD CONSTRAINT "evaluation_score_assignment_id_evaluation_assignment_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."evaluation_assignment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_report" ADD CONSTRAINT "district_report_district_code_region_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_case" ADD CONSTRAINT "model_case_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "street_visit" ADD CONSTRAINT "street_visit_street_code_region_code_fk" FOREIGN KEY ("street_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "street_visit" ADD CONSTRAINT "street_visit_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_finding" ADD CONSTRAINT "supervision_finding_spot_check_id_spot_check_id_fk" FOREIGN KEY ("spot_check_id") REFERENCES "public"."spot_check"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_finding" ADD CONSTRAINT "supervision_finding_visit_id_street_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."street_visit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_finding" ADD CONSTRAINT "supervision_finding_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_finding" ADD CONSTRAINT "supervision_finding_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_assignment_unique_idx" ON "evaluation_assignment" USING btree ("round_id","plan_project_id");--> statement-breakpoint
CREATE INDEX "evaluation_assignment_org_idx" ON "evaluation_assignment" USING btree ("evaluator_org_id");--> statement-breakpoint
CREATE INDEX "evaluation_assignment_region_idx" ON "evaluation_assignment" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "evaluation_evidence_assignment_idx" ON "evaluation_evidence" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_fee_transfer_idx" ON "evaluation_fee" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "evaluation_participant_assignment_idx" ON "evaluation_participant" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_round_unique_idx" ON "evaluation_round" USING btree ("fund_year","district_code","kind");--> statement-breakpoint
CREATE INDEX "evaluation_round_region_idx" ON "evaluation_round" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "district_report_unique_idx" ON "district_report" USING btree ("fund_year","district_code","kind");--> statement-breakpoint
CREATE INDEX "model_case_region_idx" ON "model_case" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "street_visit_region_idx" ON "street_visit" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "supervision_finding_region_idx" ON "supervision_finding" USING btree ("region_path" text_pattern_ops);