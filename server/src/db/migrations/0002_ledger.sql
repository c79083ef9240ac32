CREATE TABLE "ledger_account" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"region_path" text NOT NULL,
	"limit_fen" bigint,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"debits_pending" bigint DEFAULT 0 NOT NULL,
	"credits_pending" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_account_nonnegative_chk" CHECK ("ledger_account"."debits_posted" >= 0 and "ledger_account"."credits_posted" >= 0 and "ledger_account"."debits_pending" >= 0 and "ledger_account"."credits_pending" >= 0),
	CONSTRAINT "ledger_account_community_chk" CHECK ("ledger_account"."kind" <> 'community_available' or "ledger_account"."debits_posted" + "ledger_account"."debits_pending" <= "ledger_account"."credits_posted"),
	CONSTRAINT "ledger_account_contract_chk" CHECK ("ledger_account"."kind" <> 'contract' or ("ledger_account"."limit_fen" is not null and "ledger_account"."credits_posted" + "ledger_account"."credits_pending" <= "ledger_account"."limit_fen" and "ledger_account"."debits_posted" + "ledger_account"."debits_pending" <= "ledger_account"."credits_posted")),
	CONSTRAINT "ledger_account_pool_chk" CHECK ("ledger_account"."kind" <> 'fund_pool' or "ledger_account"."credits_posted" + "ledger_account"."credits_pending" <= "ledger_account"."debits_posted"),
	CONSTRAINT "ledger_account_limit_chk" CHECK ("ledger_account"."limit_fen" is null or "ledger_account"."limit_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transfer" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"fund_year" integer NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"debit_account_id" bigint NOT NULL,
	"credit_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"pending_id" text,
	"corrects_id" text,
	"reference" text DEFAULT '' NOT NULL,
	"actor_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transfer_amount_chk" CHECK ("ledger_transfer"."amount" > 0),
	CONSTRAINT "ledger_transfer_accounts_chk" CHECK ("ledger_transfer"."debit_account_id" <> "ledger_transfer"."credit_account_id"),
	CONSTRAINT "ledger_transfer_id_chk" CHECK (length("ledger_transfer"."id") between 1 and 200),
	CONSTRAINT "ledger_transfer_pending_chk" CHECK (("ledger_transfer"."kind" in ('post_pending', 'void_pending')) = ("ledger_transfer"."pending_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "ledger_transfer" ADD CONSTRAINT "ledger_transfer_debit_account_id_ledger_account_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfer" ADD CONSTRAINT "ledger_transfer_credit_account_id_ledger_account_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfer" ADD CONSTRAINT "ledger_transfer_pending_id_ledger_transfer_id_fk" FOREIGN KEY ("pending_id") REFERENCES "public"."ledger_transfer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfer" ADD CONSTRAINT "ledger_transfer_corrects_id_ledger_transfer_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."ledger_transfer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_account_key_idx" ON "ledger_account" USING btree ("fund_year","kind","ref");--> statement-breakpoint
CREATE INDEX "ledger_account_region_idx" ON "ledger_account" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfer_seq_idx" ON "ledger_transfer" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "ledger_transfer_debit_idx" ON "ledger_transfer" USING btree ("debit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_transfer_credit_idx" ON "ledger_transfer" USING btree ("credit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_transfer_pending_idx" ON "ledger_transfer" USING btree ("pending_id");--> statement-breakpoint
CREATE INDEX "ledger_transfer_corrects_idx" ON "ledger_transfer" USING btree ("corrects_id");--> statement-breakpoint
CREATE INDEX "ledger_transfer_year_idx" ON "ledger_transfer" USING btree ("fund_year","code");--> statement-breakpoint
CREATE FUNCTION "ledger_transfer_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger_transfer is append-only: % refused', TG_OP; END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_transfer_append_only" BEFORE UPDATE OR DELETE ON "ledger_transfer" FOR EACH ROW EXECUTE FUNCTION "ledger_transfer_immutable"();--> statement-breakpoint
CREATE TRIGGER "ledger_transfer_no_truncate" BEFORE TRUNCATE ON "ledger_transfer" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_transfer_immutable"();
