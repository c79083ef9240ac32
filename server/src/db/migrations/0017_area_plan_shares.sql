CREATE TABLE "contract_share" (
	"contract_id" integer NOT NULL,
	"community_code" text NOT NULL,
	"region_path" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"commitment_transfer_id" text,
	"release_transfer_id" text,
	CONSTRAINT "contract_share_contract_id_community_code_pk" PRIMARY KEY("contract_id","community_code"),
	CONSTRAINT "contract_share_amount_chk" CHECK ("contract_share"."amount_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "plan_project" ADD COLUMN "shares" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contract_share" ADD CONSTRAINT "contract_share_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_share" ADD CONSTRAINT "contract_share_community_code_region_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_share_community_idx" ON "contract_share" USING btree ("community_code");--> statement-breakpoint
-- data:
-- A project serving one community has that community's share: its whole budget (ADR 0014).
UPDATE "plan_project" SET "shares" = jsonb_build_array(jsonb_build_object('communityCode', "community_codes"->>0, 'shareFen', "budget_fen")) WHERE jsonb_array_length("community_codes") = 1;
