-- CreateTable
CREATE TABLE "discord_reminder_settings" (
    "discord_user_id" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "discord_reminder_settings_pkey" PRIMARY KEY ("discord_user_id")
);
