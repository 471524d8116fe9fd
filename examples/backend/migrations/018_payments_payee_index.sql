-- The payouts dashboard lists payments by payee.
CREATE INDEX IF NOT EXISTS idx_payments_user ON payments (payee_id);
CREATE INDEX IF NOT EXISTS idx_payments_status_created ON payments (status, created_at);
