-- Webhook bookkeeping, version 2: who added a webhook, and when each
-- delivery was queued and last tried with the receiver's last HTTP status,
-- for the deliveries list.
ALTER TABLE webhooks ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN created_at {{BIGINT}} NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN updated_at {{BIGINT}} NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN response_code INTEGER NOT NULL DEFAULT 0;
CREATE INDEX webhooks_project ON webhooks(project_id);
CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);
