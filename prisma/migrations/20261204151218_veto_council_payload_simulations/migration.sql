-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "vetoed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "vetoes" (
    "proposal_id" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vetoes_pkey" PRIMARY KEY ("proposal_id","member")
);

-- CreateTable
CREATE TABLE "payload_simulations" (
    "proposal_id" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "block" BIGINT NOT NULL,
    "executor" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failed_call" INTEGER,
    "error" TEXT,
    "balance_changes" JSONB,
    "simulated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payload_simulations_pkey" PRIMARY KEY ("proposal_id","phase")
);

-- CreateIndex
CREATE UNIQUE INDEX "vetoes_message_id_key" ON "vetoes"("message_id");

-- AddForeignKey
ALTER TABLE "vetoes" ADD CONSTRAINT "vetoes_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payload_simulations" ADD CONSTRAINT "payload_simulations_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
