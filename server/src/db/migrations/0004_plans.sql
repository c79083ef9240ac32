CREATE TABLE "message_read" (
	"user_id" integer NOT NULL,
	"message_key" text NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_read_user_id_message_key_pk" PRIMARY KEY("user_id","message_key")
);
--> statement-breakpoint
CREATE TABLE "plan" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"community_code" text,
	"street_code" text NOT NULL,
	"district_code" text NOT NULL,
	"region_path" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"filing_level" text,
	"round" integer DEFAULT 0 NOT NULL,
	"submitted_on" text,
	"review_due_on" text,
	"approved_on" text,
	"filed_on" text,
	"returned_on" text,
	"return_step" text,
	"return_reasons" jsonb,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_status_chk" CHECK ("plan"."status" in ('draft','submitted','returned','approved','filed')),
	CONSTRAINT "plan_kind_chk" CHECK ("plan"."kind" in ('community','area')),
	CONSTRAINT "plan_kind_community_chk" CHECK (("plan"."kind" = 'community') = ("plan"."community_code" is not null))
);
--> statement-breakpoint
CREATE TABLE "plan_community" (
	"plan_id" integer NOT NULL,
	"community_code" text NOT NULL,
	"fund_year" integer NOT NULL,
	CONSTRAINT "plan_community_plan_id_community_code_pk" PRIMARY KEY("plan_id","community_code")
);
--> statement-breakpoint
CREATE TABLE "plan_project" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"decision_project_id" integer,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"catalogue_code" text NOT NULL,
	"category" text NOT NULL,
	"budget_fen" bigint NOT NULL,
	"community_codes" jsonb NOT NULL,
	"provider_kind" text NOT NULL,
	"other_funding" jsonb NOT NULL,
	"procedure_type" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_project_budget_chk" CHECK ("plan_project"."budget_fen" >= 0),
	CONSTRAINT "plan_project_category_chk" CHECK ("plan_project"."category" in ('basic','enhancement'))
);
--> statement-breakpoint
CREATE TABLE "plan_review" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"round" integer NOT NULL,
	"stage" text NOT NULL,
	"outcome" text NOT NULL,
	"decided_on" text NOT NULL,
	"return_step" text,
	"reasons" jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"reviewer_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_review_outcome_chk" CHECK ("plan_review"."outcome" in ('approved','returned','filed'))
);
--> statement-breakpoint
ALTER TABLE "plan" ADD CONSTRAINT "plan_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan" ADD CONSTRAINT "plan_street_code_region_code_fk" FOREIGN KEY ("street_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan" ADD CONSTRAINT "plan_district_code_region_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_community" ADD CONSTRAINT "plan_community_plan_id_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_community" ADD CONSTRAINT "plan_community_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_project" ADD CONSTRAINT "plan_project_plan_id_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_project" ADD CONSTRAINT "plan_project_decision_project_id_decision_project_id_fk" FOREIGN KEY ("decision_project_id") REFERENCES "public"."decision_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_review" ADD CONSTRAINT "plan_review_plan_id_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_year_status_idx" ON "plan" USING btree ("fund_year","status");--> statement-breakpoint
CREATE INDEX "plan_region_path_idx" ON "plan" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "plan_community_year_idx" ON "plan_community" USING btree ("community_code","fund_year");--> statement-breakpoint
CREATE INDEX "plan_project_plan_idx" ON "plan_project" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_review_round_stage_idx" ON "plan_review" USING btree ("plan_id","round","stage");