-- The parts nearly every stored envelope repeats (domain, canonical types), stored once and named by id
-- in signed_messages.envelope (core/db/envelope-parts.ts). An id is the first 16 bytes of SHA-256 of the
-- part's text, in hex.
-- CreateTable
CREATE TABLE "envelope_parts" (
    "id" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "envelope_parts_pkey" PRIMARY KEY ("id")
);

-- Stored envelopes name these rows by id: a part must never change or go (Prisma cannot express triggers).
CREATE TRIGGER envelope_parts_append_only BEFORE UPDATE OR DELETE ON "envelope_parts"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER envelope_parts_no_truncate BEFORE TRUNCATE ON "envelope_parts"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
