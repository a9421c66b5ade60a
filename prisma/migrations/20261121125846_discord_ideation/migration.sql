-- CreateTable
CREATE TABLE "discord_links" (
    "discord_user_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "username" TEXT,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,
    "message_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "sig_kind" TEXT NOT NULL,
    "sig_block" BIGINT,

    CONSTRAINT "discord_links_pkey" PRIMARY KEY ("discord_user_id")
);

-- CreateTable
CREATE TABLE "discord_guilds" (
    "guild_id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "bound_by" TEXT NOT NULL,
    "bound_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "discord_guilds_pkey" PRIMARY KEY ("guild_id")
);

-- CreateTable
CREATE TABLE "discord_webhooks" (
    "channel_id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "discord_webhooks_pkey" PRIMARY KEY ("channel_id")
);

-- CreateTable
CREATE TABLE "ideas" (
    "id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "author_discord_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "author_address" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT,
    "thread_id" TEXT,
    "discussion_url" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "proposal_id" TEXT,
    "promotion" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ideas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idea_supports" (
    "idea_id" TEXT NOT NULL,
    "discord_user_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "power" DECIMAL(78,0) NOT NULL,
    "block" BIGINT NOT NULL,
    "supported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idea_supports_pkey" PRIMARY KEY ("idea_id","discord_user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "discord_links_address_key" ON "discord_links"("address");

-- CreateIndex
CREATE INDEX "discord_guilds_space_id_idx" ON "discord_guilds"("space_id");

-- CreateIndex
CREATE UNIQUE INDEX "ideas_proposal_id_key" ON "ideas"("proposal_id");

-- CreateIndex
CREATE INDEX "ideas_space_id_state_created_at_idx" ON "ideas"("space_id", "state", "created_at");

-- CreateIndex
CREATE INDEX "ideas_author_discord_id_state_idx" ON "ideas"("author_discord_id", "state");

-- AddForeignKey
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_idea_id_fkey" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discord_guilds" ADD CONSTRAINT "discord_guilds_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idea_supports" ADD CONSTRAINT "idea_supports_idea_id_fkey" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
