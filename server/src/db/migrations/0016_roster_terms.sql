CREATE TABLE "roster_term" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_code" text NOT NULL,
	"body" text NOT NULL,
	"person_name" text NOT NULL,
	"household_id" integer,
	"from_date" date NOT NULL,
	"to_date" date,
	"end_reason" text,
	"replaces_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roster_term_body_chk" CHECK ("roster_term"."body" in ('representative', 'council_member')),
	CONSTRAINT "roster_term_dates_chk" CHECK ("roster_term"."to_date" is null or "roster_term"."to_date" >= "roster_term"."from_date")
);
--> statement-breakpoint
ALTER TABLE "roster_term" ADD CONSTRAINT "roster_term_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_term" ADD CONSTRAINT "roster_term_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_term" ADD CONSTRAINT "roster_term_replaces_id_roster_term_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."roster_term"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "roster_term_open_idx" ON "roster_term" USING btree ("community_code","body","person_name",coalesce("household_id", 0)) WHERE "roster_term"."to_date" is null;--> statement-breakpoint
CREATE INDEX "roster_term_community_idx" ON "roster_term" USING btree ("community_code","body","from_date");--> statement-breakpoint
CREATE INDEX "roster_term_household_idx" ON "roster_term" USING btree ("household_id");--> statement-breakpoint
-- data:
-- Backfill (ADR 0013): every flag on a household member becomes an open term. The from date is the
-- earlier of the household's registration day (China time) and the community's earliest recorded
-- meeting (decision_step.held_on), so every decision already taken recounts exactly the roster it
-- counted when it was taken (the flags were the only roster) and no past count changes. A person is
-- a name within a household, as the open-term index holds.
INSERT INTO "roster_term" ("community_code", "body", "person_name", "household_id", "from_date")
SELECT DISTINCT ON (h."community_code", r."body", m."name", h."id")
  h."community_code", r."body", m."name", h."id",
  LEAST(
    (h."created_at" AT TIME ZONE 'Asia/Shanghai')::date,
    COALESCE(
      (SELECT MIN(s."held_on") FROM "decision_step" s JOIN "decision" d ON d."id" = s."decision_id" WHERE d."community_code" = h."community_code"),
      (h."created_at" AT TIME ZONE 'Asia/Shanghai')::date
    )
  )
FROM "household_member" m
JOIN "household" h ON h."id" = m."household_id"
CROSS JOIN LATERAL (
  SELECT 'representative' AS "body" WHERE m."is_representative"
  UNION ALL
  SELECT 'council_member' WHERE m."is_council_member"
) r
ORDER BY h."community_code", r."body", m."name", h."id";
