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

/** The member's direct-message reminders whose stage is still open (re-planned when they choose another N). */
export async function openDiscordReminders(db: Queryable, discordUserId: string): Promise<{ proposalId: string; stage: number }[]> {
  const { rows } = await db.query<{ proposal_id: string; stage: number }>(
    `SELECT r.proposal_id, r.stage FROM discord_reminders r JOIN proposals p ON p.id = r.proposal_id
      WHERE r.discord_user_id = $1 AND p.state = CASE r.stage WHEN 1 THEN 'temperature' ELSE 'consensus' END`,
    [discordUserId],
  );
  return rows.map((row) => ({ proposalId: row.proposal_id, stage: row.stage }));
}

/** The member's N (hours before the close), or null while they never chose one. */
export async function discordReminderHours(db: Queryable, discordUserId: string): Promise<number | null> {
  const { rows } = await db.query<{ hours: number }>('SELECT hours FROM discord_reminder_settings WHERE discord_user_id = $1', [discordUserId]);
  return rows[0]?.hours ?? null;
}

export async function setDiscordReminderHours(db: Queryable, discordUserId: string, hours: number): Promise<void> {
  await db.query(
    `INSERT INTO discord_reminder_settings (discord_user_id, hours, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (discord_user_id) DO UPDATE SET hours = EXCLUDED.hours, updated_at = EXCLUDED.updated_at`,
    [discordUserId, hours],
  );
}
