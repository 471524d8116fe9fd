-- Web push subscriptions. Column names follow the browser's PushSubscription JSON as-is.

CREATE TABLE IF NOT EXISTS "PushSubscriptions" (
    "id" SERIAL PRIMARY KEY,
    "userId" INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    "endpoint" TEXT NOT NULL UNIQUE,
    "p256dhKey" TEXT NOT NULL,
    "authKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS "IX_PushSubscriptions_userId" ON "PushSubscriptions" ("userId");
