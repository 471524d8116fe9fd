-- Invoices live in their own schema so the accounting read-only role can be granted it alone.

CREATE SCHEMA IF NOT EXISTS billing;

CREATE TABLE IF NOT EXISTS billing.invoices (
    id SERIAL PRIMARY KEY,
    number VARCHAR(32) NOT NULL UNIQUE,
    user_id INTEGER NOT NULL,
    payment_id INTEGER,
    total_cents INTEGER NOT NULL,
    currency VARCHAR(3) NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS billing.invoice_lines (
    id SERIAL PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES billing.invoices(id) ON DELETE CASCADE,
    position SMALLINT NOT NULL,
    task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS idx_invoice_lines_invoice_position ON billing.invoice_lines (invoice_id, position);
CREATE INDEX IF NOT EXISTS idx_invoices_issued_at ON billing.invoices (issued_at);
