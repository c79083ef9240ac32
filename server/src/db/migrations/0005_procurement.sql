CREATE TABLE "contract" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"procurement_id" integer NOT NULL,
	"purchaser_kind" text NOT NULL,
	"purchaser_code" text NOT NULL,
	"community_code" text NOT NULL,
	"region_path" text NOT NULL,
	"provider_id" integer NOT NULL,
	"title" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"starts_on" text NOT NULL,
	"ends_on" text NOT NULL,
	"deliverables" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"signed_on" text,
	"commitment_transfer_id" text,
	"cancelled_on" text,
	"cancel_reason" text,
	"release_transfer_id" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contract_amount_chk" CHECK ("contract"."amount_fen" > 0),
	CONSTRAINT "contract_period_chk" CHECK ("contract"."starts_on" <= "contract"."ends_on"),
	CONSTRAINT "contract_status_chk" CHECK ("contract"."status" in ('draft','signed','completed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "contract_instalment" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"condition" text NOT NULL,
	"due_on" text,
	"amount_fen" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"transfer_id" text,
	"paid_on" text,
	CONSTRAINT "contract_instalment_amount_chk" CHECK ("contract_instalment"."amount_fen" > 0),
	CONSTRAINT "contract_instalment_status_chk" CHECK ("contract_instalment"."status" in ('open','requested','paid','void'))
);
--> statement-breakpoint
CREATE TABLE "contract_project" (
	"contract_id" integer NOT NULL,
	"plan_project_id" integer NOT NULL,
	CONSTRAINT "contract_project_contract_id_plan_project_id_pk" PRIMARY KEY("contract_id","plan_project_id")
);
--> statement-breakpoint
CREATE TABLE "payment_request" (
	"id" serial PRIMARY KEY NOT NULL,
	"instalment_id" integer NOT NULL,
	"contract_id" integer NOT NULL,
	"payee_provider_id" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_by_user_id" integer,
	"requested_on" text NOT NULL,
	"decided_by_user_id" integer,
	"decided_on" text,
	"decision_note" text,
	"transfer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_request_status_chk" CHECK ("payment_request"."status" in ('requested','approved','rejected'))
);
--> statement-breakpoint
CREATE TABLE "procurement" (
	"id" serial PRIMARY KEY NOT NULL,
	"fund_year" integer NOT NULL,
	"purchaser_kind" text NOT NULL,
	"purchaser_code" text NOT NULL,
	"region_path" text NOT NULL,
	"method" text NOT NULL,
	"project_ids" jsonb NOT NULL,
	"budget_fen" bigint NOT NULL,
	"candidates" jsonb NOT NULL,
	"selected_provider_id" integer NOT NULL,
	"selection_reason" text NOT NULL,
	"documents" jsonb NOT NULL,
	"decided_on" text NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procurement_budget_chk" CHECK ("procurement"."budget_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "provider" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"credit_code" text NOT NULL,
	"registration_authority" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"contacts" jsonb NOT NULL,
	"region_code" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_kind_chk" CHECK ("provider"."kind" in ('social_work_station','social_organisation','university')),
	CONSTRAINT "provider_credit_code_chk" CHECK ("provider"."credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$')
);
--> statement-breakpoint
CREATE TABLE "provider_ineligibility" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"year" integer NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_ineligibility_source_chk" CHECK ("provider_ineligibility"."source" in ('final_evaluation','manual'))
);
--> statement-breakpoint
CREATE TABLE "provider_qualification" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"name" text NOT NULL,
	"issuer" text DEFAULT '' NOT NULL,
	"number" text DEFAULT '' NOT NULL,
	"valid_until" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_activity" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"plan_project_id" integer,
	"held_on" text NOT NULL,
	"place" text NOT NULL,
	"content" text NOT NULL,
	"participants" integer NOT NULL,
	"beneficiaries" integer NOT NULL,
	"volunteers" integer NOT NULL,
	"charity_resources" text DEFAULT '' NOT NULL,
	"charity_value_fen" bigint DEFAULT 0 NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_activity_counts_chk" CHECK ("delivery_activity"."participants" >= 0 and "delivery_activity"."beneficiaries" >= 0 and "delivery_activity"."volunteers" >= 0 and "delivery_activity"."charity_value_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "delivery_attachment" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"activity_id" integer,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_attachment_type_chk" CHECK ("delivery_attachment"."media_type" in ('image/jpeg','image/png','application/pdf'))
);
--> statement-breakpoint
CREATE TABLE "plan_adjustment" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"plan_project_id" integer,
	"change" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by_user_id" integer,
	"proposed_on" text NOT NULL,
	"decided_by_user_id" integer,
	"decided_on" text,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_adjustment_status_chk" CHECK ("plan_adjustment"."status" in ('proposed','approved','rejected'))
);
--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_procurement_id_procurement_id_fk" FOREIGN KEY ("procurement_id") REFERENCES "public"."procurement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_purchaser_code_region_code_fk" FOREIGN KEY ("purchaser_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_instalment" ADD CONSTRAINT "contract_instalment_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_project" ADD CONSTRAINT "contract_project_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_project" ADD CONSTRAINT "contract_project_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_request" ADD CONSTRAINT "payment_request_instalment_id_contract_instalment_id_fk" FOREIGN KEY ("instalment_id") REFERENCES "public"."contract_instalment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_request" ADD CONSTRAINT "payment_request_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_request" ADD CONSTRAINT "payment_request_payee_provider_id_provider_id_fk" FOREIGN KEY ("payee_provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement" ADD CONSTRAINT "procurement_purchaser_code_region_code_fk" FOREIGN KEY ("purchaser_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement" ADD CONSTRAINT "procurement_selected_provider_id_provider_id_fk" FOREIGN KEY ("selected_provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider" ADD CONSTRAINT "provider_region_code_region_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_ineligibility" ADD CONSTRAINT "provider_ineligibility_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_qualification" ADD CONSTRAINT "provider_qualification_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_activity" ADD CONSTRAINT "delivery_activity_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_activity" ADD CONSTRAINT "delivery_activity_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attachment" ADD CONSTRAINT "delivery_attachment_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attachment" ADD CONSTRAINT "delivery_attachment_activity_id_delivery_activity_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."delivery_activity"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_adjustment" ADD CONSTRAINT "plan_adjustment_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_adjustment" ADD CONSTRAINT "plan_adjustment_plan_project_id_plan_project_id_fk" FOREIGN KEY ("plan_project_id") REFERENCES "public"."plan_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_region_idx" ON "contract" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contract_provider_idx" ON "contract" USING btree ("provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_instalment_seq_idx" ON "contract_instalment" USING btree ("contract_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_instalment_transfer_idx" ON "contract_instalment" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "contract_project_project_idx" ON "contract_project" USING btree ("plan_project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_request_live_idx" ON "payment_request" USING btree ("instalment_id") WHERE "payment_request"."status" in ('requested','approved');--> statement-breakpoint
CREATE INDEX "payment_request_contract_idx" ON "payment_request" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "procurement_region_idx" ON "procurement" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "provider_credit_code_idx" ON "provider" USING btree ("credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_ineligibility_idx" ON "provider_ineligibility" USING btree ("provider_id","year","source");--> statement-breakpoint
CREATE INDEX "provider_qualification_provider_idx" ON "provider_qualification" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "delivery_activity_contract_idx" ON "delivery_activity" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "delivery_attachment_contract_idx" ON "delivery_attachment" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "delivery_attachment_activity_idx" ON "delivery_attachment" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "plan_adjustment_contract_idx" ON "plan_adjustment" USING btree ("contract_id");