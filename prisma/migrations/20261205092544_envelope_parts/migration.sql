-- The parts nearly every stored envelope repeats (domain, canonical types), stored once and named by id
-- in signed_messages.envelope (core/db/envelope-parts.ts).
-- CreateTable
CREATE TABLE "envelope_parts" (
    "id" SERIAL NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "envelope_parts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "envelope_parts_text_key" ON "envelope_parts"("text");

-- Stored envelopes name these rows by id: a part must never change or go (Prisma cannot express triggers).
CREATE TRIGGER envelope_parts_append_only BEFORE UPDATE OR DELETE ON "envelope_parts"
  FOR EACH ROW EXECUTE FUNCTION govrelay_reject_change();
CREATE TRIGGER envelope_parts_no_truncate BEFORE TRUNCATE ON "envelope_parts"
  FOR EACH STATEMENT EXECUTE FUNCTION govrelay_reject_change();
