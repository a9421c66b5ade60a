/**
 * A reading view of space settings. The server validates them (server/spaces/settings.ts) and the
 * API serves them as JSON; the app only reads fields to describe them, it decides nothing.
 */
export interface Quorum {
  kind: 'absolute' | 'supply-fraction';
  power?: string;
  bps?: number;
}
export interface StageSettings {
  votingType: string;
  period: number;
  quorum: Quorum;
  passThresholdBps: number;
}
export interface Strategy {
  name: string;
  params: Record<string, unknown>;
  weight?: number;
}
/** A proposal kind: its own rules; what it leaves out comes from the top-level settings. */
export interface KindView {
  description?: string;
  temperature?: StageSettings;
  consensus?: StageSettings;
  execution?: ('signal' | 'timelock' | 'governor')[];
}
export interface SpaceSettingsView {
  name?: string;
  about?: string;
  parent?: string;
  chainId?: number;
  token?: string;
  executor?: string;
  governor?: string;
  admins?: string[];
  moderators?: string[];
  members?: string[];
  strategies?: Strategy[];
  proposalGate?: { kind: 'power'; minPower: string } | { kind: 'members' };
  maxActiveProposalsPerAuthor?: number;
  votingDelay?: number;
  temperature?: StageSettings;
  consensus?: StageSettings;
  advance?: 'auto' | 'author';
  executionGracePeriod?: number;
  discord?: { guildId?: string; channelId?: string; powerDecimals?: number };
  delegation?: 'off' | 'offchain';
  kinds?: Record<string, KindView>;
  maxSnapshotAge?: number;
  lateQuorumExtension?: number;
}

export const settingsOf = (space: { settings: unknown }) => (space.settings ?? {}) as SpaceSettingsView;
export const spaceName = (space: { id: string; settings: unknown }) => settingsOf(space).name ?? space.id;
