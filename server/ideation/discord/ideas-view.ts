/** Loads what an idea's Discord message shows: its support and the space's threshold. */
import type { Queryable } from '../../../core/db/transaction.js';
import { supportSummary, type IdeaRecord } from '../ideas/repository.js';
import { thresholdOf } from '../ideas/promotion.js';
import type { SpaceSettings } from '../../spaces/settings.js';
import type { MessagePayload } from './api-types.js';
import { ideaMessage } from './responses.js';
import { findSpaceSettings } from '../../../core/db/spaces.js';

export async function spaceSettings(db: Queryable, spaceId: string): Promise<SpaceSettings | null> {
  return (await findSpaceSettings(db, spaceId)) ?? null;
}

export async function renderIdea(db: Queryable, idea: IdeaRecord, publicUrl: string, settings?: SpaceSettings | null): Promise<MessagePayload> {
  const current = settings ?? (await spaceSettings(db, idea.spaceId));
  return ideaMessage({
    idea,
    summary: await supportSummary(db, idea.id),
    threshold: thresholdOf(current ?? {}),
    publicUrl,
    decimals: current?.discord?.powerDecimals ?? 18,
  });
}
