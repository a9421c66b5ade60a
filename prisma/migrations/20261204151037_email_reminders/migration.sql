-- CreateTable
CREATE TABLE "email_subscriptions" (
    "id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "subscriber" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_salt" TEXT NOT NULL,
    "events" TEXT[],
    "closing_hours" INTEGER NOT NULL,
    "signed_at" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "confirm_token" TEXT NOT NULL,
    "unsubscribe_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "end_cause" TEXT,
    "ended_signed_at" BIGINT,

    CONSTRAINT "email_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_deliveries" (
    "key" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "proposal_id" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_deliveries_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "email_subscriptions_confirm_token_key" ON "email_subscriptions"("confirm_token");

-- CreateIndex
CREATE UNIQUE INDEX "email_subscriptions_unsubscribe_token_key" ON "email_subscriptions"("unsubscribe_token");

-- CreateIndex
CREATE INDEX "email_subscriptions_space_id_status_idx" ON "email_subscriptions"("space_id", "status");

-- CreateIndex
CREATE INDEX "email_subscriptions_subscriber_space_id_idx" ON "email_subscriptions"("subscriber", "space_id");

-- CreateIndex
CREATE INDEX "email_subscriptions_email_status_idx" ON "email_subscriptions"("email", "status");

-- CreateIndex
CREATE INDEX "email_deliveries_subscription_id_idx" ON "email_deliveries"("subscription_id");
