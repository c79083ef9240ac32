CREATE TABLE "household" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" text NOT NULL,
	"household_no" text NOT NULL,
	"building" text NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"room" text NOT NULL,
	"head_name" text NOT NULL,
	"phone" text NOT NULL,
	"residents" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_residents_chk" CHECK ("household"."residents" between 1 and 99)
);
--> statement-breakpoint
CREATE TABLE "household_member" (
	"id" serial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL,
	"name" text NOT NULL,
	"is_representative" boolean DEFAULT false NOT NULL,
	"is_council_member" boolean DEFAULT false NOT NULL,
	"id_number_hash" text
);
--> statement-breakpoint
CREATE TABLE "needs_access_code" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "needs_campaign" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" text NOT NULL,
	"fund_year" integer NOT NULL,
	"title" text NOT NULL,
	"opens_on" text NOT NULL,
	"closes_on" text NOT NULL,
	"channels" jsonb NOT NULL,
	"questionnaire" jsonb NOT NULL,
	"allow_changes" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"concluded_at" timestamp with time zone,
	"concluded_reached" integer,
	"concluded_resident_households" integer,
	"ready_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "needs_campaign_dates_chk" CHECK ("needs_campaign"."opens_on" <= "needs_campaign"."closes_on"),
	CONSTRAINT "needs_campaign_status_chk" CHECK ("needs_campaign"."status" in ('open','concluded','ready'))
);
--> statement-breakpoint
CREATE TABLE "needs_opinion" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"channel" text NOT NULL,
	"choices" jsonb NOT NULL,
	"free_text" text,
	"entered_by_user_id" integer,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "needs_proposal" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"catalogue_code" text,
	"estimated_budget_fen" bigint,
	"source" text NOT NULL,
	"status" text DEFAULT 'candidate' NOT NULL,
	"rank" integer,
	"merged_into_id" integer,
	"screen_reason" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "needs_proposal_status_chk" CHECK ("needs_proposal"."status" in ('candidate','listed','rejected','merged')),
	CONSTRAINT "needs_proposal_budget_chk" CHECK ("needs_proposal"."estimated_budget_fen" is null or "needs_proposal"."estimated_budget_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "needs_proposal_opinion" (
	"proposal_id" integer NOT NULL,
	"opinion_id" integer NOT NULL,
	CONSTRAINT "needs_proposal_opinion_proposal_id_opinion_id_pk" PRIMARY KEY("proposal_id","opinion_id")
);
--> statement-breakpoint
ALTER TABLE "household" ADD CONSTRAINT "household_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_member" ADD CONSTRAINT "household_member_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_access_code" ADD CONSTRAINT "needs_access_code_campaign_id_needs_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."needs_campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_access_code" ADD CONSTRAINT "needs_access_code_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_campaign" ADD CONSTRAINT "needs_campaign_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_opinion" ADD CONSTRAINT "needs_opinion_campaign_id_needs_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."needs_campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_opinion" ADD CONSTRAINT "needs_opinion_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_proposal" ADD CONSTRAINT "needs_proposal_campaign_id_needs_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."needs_campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_proposal_opinion" ADD CONSTRAINT "needs_proposal_opinion_proposal_id_needs_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."needs_proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs_proposal_opinion" ADD CONSTRAINT "needs_proposal_opinion_opinion_id_needs_opinion_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."needs_opinion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "household_community_no_idx" ON "household" USING btree ("community_code","household_no");--> statement-breakpoint
CREATE INDEX "household_member_household_idx" ON "household_member" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_access_code_campaign_household_idx" ON "needs_access_code" USING btree ("campaign_id","household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_access_code_hash_idx" ON "needs_access_code" USING btree ("code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_campaign_community_year_idx" ON "needs_campaign" USING btree ("community_code","fund_year");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_opinion_campaign_household_idx" ON "needs_opinion" USING btree ("campaign_id","household_id");--> statement-breakpoint
CREATE INDEX "needs_opinion_household_idx" ON "needs_opinion" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "needs_proposal_campaign_idx" ON "needs_proposal" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "needs_proposal_opinion_opinion_idx" ON "needs_proposal_opinion" USING btree ("opinion_id");