-- 发票外键：这个文件最早是在 Railway 控制台手动执行的，所以写成可重复执行
-- (ADD CONSTRAINT has no IF NOT EXISTS; guard on pg_constraint instead)

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_invoices_user') THEN
        ALTER TABLE billing.invoices
            ADD CONSTRAINT fk_invoices_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE RESTRICT;
    END IF;
END $$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_invoices_payment') THEN
        ALTER TABLE billing.invoices
            ADD CONSTRAINT fk_invoices_payment FOREIGN KEY (payment_id) REFERENCES payments(id) ON DELETE SET NULL;
    END IF;
END $$;

CREATE INDEX IF NOT EXISTS idx_invoices_user ON billing.invoices (user_id, issued_at DESC);
