-- CreateTable
CREATE TABLE "signed_messages" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "proposal_id" TEXT,
    "timestamp" BIGINT NOT NULL,
    "envelope" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "sig_kind" TEXT NOT NULL,
    "sig_block" BIGINT,
    "receipt" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "signed_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spaces" (
    "id" TEXT NOT NULL,
    "parent_id" TEXT,
    "settings" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_timestamp" BIGINT NOT NULL,

    CONSTRAINT "spaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "space_changes" (
    "id" BIGSERIAL NOT NULL,
    "space_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "previous" JSONB,
    "settings" JSONB NOT NULL,

    CONSTRAINT "space_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposals" (
    "id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "discussion" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "voting_type" TEXT NOT NULL,
    "snapshot_block" BIGINT NOT NULL,
    "snapshot_time" BIGINT NOT NULL,
    "execution_mode" TEXT NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "payload" JSONB,
    "target_code_hashes" JSONB NOT NULL,
    "idea_id" TEXT,
    "state" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "temperature_start" TIMESTAMPTZ(3) NOT NULL,
    "temperature_end" TIMESTAMPTZ(3) NOT NULL,
    "consensus_start" TIMESTAMPTZ(3),
    "consensus_end" TIMESTAMPTZ(3),
    "rules" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "proposals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposal_transitions" (
    "id" BIGSERIAL NOT NULL,
    "proposal_id" TEXT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "cause" TEXT NOT NULL,
    "message_id" TEXT,
    "detail" JSONB,

    CONSTRAINT "proposal_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "votes" (
    "proposal_id" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "voter" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "choice" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "power" DECIMAL(78,0) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "votes_pkey" PRIMARY KEY ("proposal_id","stage","voter")
);

-- CreateTable
CREATE TABLE "voting_powers" (
    "proposal_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "power" DECIMAL(78,0) NOT NULL,
    "by_strategy" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "voting_powers_pkey" PRIMARY KEY ("proposal_id","address")
);

-- CreateTable
CREATE TABLE "stage_results" (
    "proposal_id" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "voting_type" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "scores" JSONB NOT NULL,
    "scores_by_strategy" JSONB NOT NULL,
    "total_power" DECIMAL(78,0) NOT NULL,
    "voter_count" INTEGER NOT NULL,
    "quorum" DECIMAL(78,0) NOT NULL,
    "quorum_reached" BOOLEAN NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "winning_choice" INTEGER,
    "outcome" TEXT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_results_pkey" PRIMARY KEY ("proposal_id","stage")
);

-- CreateTable
CREATE TABLE "executions" (
    "proposal_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "operation_id" TEXT,
    "schedule_tx" TEXT,
    "eta" TIMESTAMPTZ(3),
    "execute_tx" TEXT,
    "execute_block" BIGINT,
    "reason" TEXT,
    "enqueued_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "executions_pkey" PRIMARY KEY ("proposal_id")
);

-- CreateTable
CREATE TABLE "reputation_entries" (
    "id" BIGSERIAL NOT NULL,
    "space_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "delta" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "reputation_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "signed_messages_proposal_id_received_at_idx" ON "signed_messages"("proposal_id", "received_at");

-- CreateIndex
CREATE INDEX "signed_messages_space_id_type_idx" ON "signed_messages"("space_id", "type");

-- CreateIndex
CREATE UNIQUE INDEX "space_changes_message_id_key" ON "space_changes"("message_id");

-- CreateIndex
CREATE INDEX "space_changes_space_id_at_idx" ON "space_changes"("space_id", "at");

-- CreateIndex
CREATE INDEX "proposals_space_id_state_created_at_idx" ON "proposals"("space_id", "state", "created_at");

-- CreateIndex
CREATE INDEX "proposals_author_state_idx" ON "proposals"("author", "state");

-- CreateIndex
CREATE INDEX "proposals_state_idx" ON "proposals"("state");

-- CreateIndex
CREATE INDEX "proposal_transitions_proposal_id_at_idx" ON "proposal_transitions"("proposal_id", "at");

-- CreateIndex
CREATE INDEX "votes_proposal_id_stage_received_at_idx" ON "votes"("proposal_id", "stage", "received_at");

-- CreateIndex
CREATE INDEX "executions_status_idx" ON "executions"("status");

-- CreateIndex
CREATE INDEX "reputation_entries_space_id_address_at_idx" ON "reputation_entries"("space_id", "address", "at");

-- AddForeignKey
ALTER TABLE "spaces" ADD CONSTRAINT "spaces_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "spaces"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_changes" ADD CONSTRAINT "space_changes_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_transitions" ADD CONSTRAINT "proposal_transitions_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "votes" ADD CONSTRAINT "votes_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voting_powers" ADD CONSTRAINT "voting_powers_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_results" ADD CONSTRAINT "stage_results_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "executions" ADD CONSTRAINT "executions_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The signed-message log and the reputation ledger are the record: append-only.
-- Prisma cannot express triggers, so they live only in migrations.
CREATE FUNCTION govrelay_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER signed_messages_append_only BEFORE UPDATE OR DELETE ON "signed_messages"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER signed_messages_no_truncate BEFORE TRUNCATE ON "signed_messages"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER reputation_entries_append_only BEFORE UPDATE OR DELETE ON "reputation_entries"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER reputation_entries_no_truncate BEFORE TRUNCATE ON "reputation_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
