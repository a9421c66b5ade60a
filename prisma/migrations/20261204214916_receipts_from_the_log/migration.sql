-- A receipt is now the message's place in the log (leaf, signed tree head, inclusion proof): no
-- per-message signature is made any more. The signatures given before the log existed are kept, as
-- legacy_receipt (renamed, not dropped and re-added: those receipts are still checkable).
ALTER TABLE "signed_messages" RENAME COLUMN "receipt" TO "legacy_receipt";
ALTER TABLE "signed_messages" ALTER COLUMN "legacy_receipt" DROP NOT NULL;
