-- DropIndex
DROP INDEX "signed_messages_space_id_type_idx";
