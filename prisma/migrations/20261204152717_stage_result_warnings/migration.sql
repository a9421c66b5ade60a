-- AlterTable
ALTER TABLE "stage_results" ADD COLUMN     "warnings" JSONB;
