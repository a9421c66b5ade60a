-- DropIndex
DROP INDEX "votes_proposal_id_stage_received_at_idx";
