CREATE TABLE "disclosure_record" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" text NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"published_on" text NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"region_path" text NOT NULL,
	"recorded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_record_kind_chk" CHECK ("disclosure_record"."kind" in ('plan','contracts','progress','midterm','final','payments'))
);
--> statement-breakpoint
ALTER TABLE "disclosure_record" ADD CONSTRAINT "disclosure_record_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "disclosure_record_once_idx" ON "disclosure_record" USING btree ("community_code","fund_year","kind");--> statement-breakpoint
CREATE INDEX "disclosure_record_path_idx" ON "disclosure_record" USING btree ("region_path" text_pattern_ops);