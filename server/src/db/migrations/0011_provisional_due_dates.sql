CREATE TABLE "calendar_due_date_change" (
	"id" serial PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"entity_id" integer NOT NULL,
	"title" text NOT NULL,
	"region_path" text NOT NULL,
	"before" text NOT NULL,
	"after" text NOT NULL,
	"provisional" boolean NOT NULL,
	"changed_on" date NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decision_notice" ADD COLUMN "window_end_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "plan" ADD COLUMN "review_due_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_finding" ADD COLUMN "deadline_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "calendar_due_date_change_path_idx" ON "calendar_due_date_change" USING btree ("region_path","changed_on");