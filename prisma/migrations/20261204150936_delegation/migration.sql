-- CreateTable
CREATE TABLE "delegations" (
    "message_id" TEXT NOT NULL,
    "delegator" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "delegates" JSONB NOT NULL,
    "expiry" BIGINT,
    "timestamp" BIGINT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delegations_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "delegate_statements" (
    "space_id" TEXT NOT NULL,
    "delegate" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "links" JSONB NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delegate_statements_pkey" PRIMARY KEY ("space_id","delegate")
);

-- CreateTable
CREATE TABLE "delegation_snapshots" (
    "proposal_id" TEXT NOT NULL,
    "delegators" INTEGER NOT NULL,
    "delegates" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delegation_snapshots_pkey" PRIMARY KEY ("proposal_id")
);

-- CreateTable
CREATE TABLE "delegation_shares" (
    "proposal_id" TEXT NOT NULL,
    "delegator" TEXT NOT NULL,
    "delegate" TEXT NOT NULL,
    "bps" INTEGER NOT NULL,
    "power" DECIMAL(78,0) NOT NULL,
    "by_strategy" JSONB NOT NULL,

    CONSTRAINT "delegation_shares_pkey" PRIMARY KEY ("proposal_id","delegator","delegate")
);

-- CreateIndex
CREATE INDEX "delegations_delegator_space_id_timestamp_idx" ON "delegations"("delegator", "space_id", "timestamp");

-- CreateIndex
CREATE INDEX "delegations_space_id_timestamp_idx" ON "delegations"("space_id", "timestamp");

-- CreateIndex
CREATE INDEX "delegation_shares_proposal_id_delegate_idx" ON "delegation_shares"("proposal_id", "delegate");
