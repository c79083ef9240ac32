-- Issue 16: every at-most-one rule held by the database (docs/invariants.md, ADR 0010).
-- Idempotency keys: the first answer to a request carrying a requestId, per operation (scope).
CREATE TABLE "idempotency_key" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
-- At most one live (not cancelled) contract per plan project [N 4.1]: a marker kept in the
-- cancelling transaction, and a partial unique index on it.
ALTER TABLE "contract_project" ADD COLUMN "live" boolean DEFAULT true NOT NULL;--> statement-breakpoint
UPDATE "contract_project" SET "live" = false FROM "contract" WHERE "contract"."id" = "contract_project"."contract_id" AND "contract"."status" = 'cancelled';--> statement-breakpoint
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM "contract_project" WHERE "live" GROUP BY "plan_project_id" HAVING count(*) > 1) THEN
		RAISE EXCEPTION 'contract_project_live_idx: a plan project is covered by more than one live contract; cancel the duplicates before migrating'
			USING HINT = 'select plan_project_id, array_agg(contract_id) from contract_project where live group by 1 having count(*) > 1';
	END IF;
END $$;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_project_live_idx" ON "contract_project" USING btree ("plan_project_id") WHERE "contract_project"."live";
