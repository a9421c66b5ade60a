-- CreateTable
CREATE TABLE "discord_reminders" (
    "discord_user_id" TEXT NOT NULL,
    "proposal_id" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "discord_reminders_pkey" PRIMARY KEY ("discord_user_id","proposal_id","stage")
);
