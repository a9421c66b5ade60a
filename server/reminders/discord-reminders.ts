/** The discord_reminders table: who asked, with the "Remind me" button, for a direct message before a stage closes. */
import type { Queryable } from '../../core/db/transaction.js';

/** True when the opt-in is new. */
export async function addDiscordReminder(db: Queryable, row: { discordUserId: string; proposalId: string; stage: number }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO discord_reminders (discord_user_id, proposal_id, stage, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING`,
    [row.discordUserId, row.proposalId, row.stage],
  );
  return (rowCount ?? 0) > 0;
}

export async function hasDiscordReminder(db: Queryable, row: { discordUserId: string; proposalId: string; stage: number }): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM discord_reminders WHERE discord_user_id = $1 AND proposal_id = $2 AND stage = $3', [
    row.discordUserId,
    row.proposalId,
    row.stage,
  ]);
  return rows.length > 0;
}
