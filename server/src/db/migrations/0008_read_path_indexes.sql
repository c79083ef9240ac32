DROP INDEX "ledger_transfer_year_idx";--> statement-breakpoint
CREATE INDEX "needs_campaign_community_prefix_idx" ON "needs_campaign" USING btree ("community_code" text_pattern_ops,"fund_year");--> statement-breakpoint
CREATE INDEX "ledger_transfer_year_code_debit_idx" ON "ledger_transfer" USING btree ("fund_year","code","debit_account_id","amount");--> statement-breakpoint
CREATE INDEX "decision_community_prefix_idx" ON "decision" USING btree ("community_code" text_pattern_ops,"fund_year");--> statement-breakpoint
CREATE INDEX "plan_project_communities_idx" ON "plan_project" USING gin ("community_codes" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "evaluation_assignment_project_idx" ON "evaluation_assignment" USING btree ("plan_project_id");--> statement-breakpoint
CREATE INDEX "model_case_community_idx" ON "model_case" USING btree ("community_code","fund_year");