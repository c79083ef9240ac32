CREATE TABLE "notify_channel" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"target" text NOT NULL,
	"secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notify_channel_kind_chk" CHECK ("notify_channel"."kind" in ('email','wecom','dingtalk'))
);
--> statement-breakpoint
CREATE TABLE "notify_outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"business_date" date NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notify_outbox_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "notify_outbox_kind_chk" CHECK ("notify_outbox"."kind" in ('digest','immediate','test')),
	CONSTRAINT "notify_outbox_status_chk" CHECK ("notify_outbox"."status" in ('pending','sending','sent','failed'))
);
--> statement-breakpoint
ALTER TABLE "notify_channel" ADD CONSTRAINT "notify_channel_region_code_region_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_outbox" ADD CONSTRAINT "notify_outbox_channel_id_notify_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notify_channel"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notify_channel_region_idx" ON "notify_channel" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "notify_outbox_due_idx" ON "notify_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notify_outbox_channel_idx" ON "notify_outbox" USING btree ("channel_id","id");