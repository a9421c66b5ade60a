-- AlterTable
ALTER TABLE "stage_results" ADD COLUMN     "log_tree_size" BIGINT,
ADD COLUMN     "signature" TEXT;

-- CreateTable
CREATE TABLE "log_leaves" (
    "idx" BIGINT NOT NULL,
    "message_id" TEXT NOT NULL,
    "signature_hash" BYTEA NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "log_leaves_pkey" PRIMARY KEY ("idx")
);

-- CreateTable
CREATE TABLE "log_nodes" (
    "level" INTEGER NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "log_nodes_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "log_tree_heads" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "log_tree_heads_pkey" PRIMARY KEY ("tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "log_leaves_message_id_key" ON "log_leaves"("message_id");

-- The log is append-only like signed_messages (Prisma cannot express triggers).
CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON "log_leaves"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON "log_leaves"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER log_nodes_append_only BEFORE UPDATE OR DELETE ON "log_nodes"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER log_nodes_no_truncate BEFORE TRUNCATE ON "log_nodes"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER log_tree_heads_append_only BEFORE UPDATE OR DELETE ON "log_tree_heads"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER log_tree_heads_no_truncate BEFORE TRUNCATE ON "log_tree_heads"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
