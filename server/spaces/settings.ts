/**
 * Space settings: parsing and checking what an admin signs (as JSON in a Space message). The schemas
 * and types are in core/spaces/settings.ts; a proposal keeps a copy of the settings it was created under.
 */
import { Value } from 'typebox/value';
import { InvalidInputError } from '../../core/errors.js';
import { validateStrategyRefs } from '../../strategies/index.js';
import { DAY, KIND_NAME_PATTERN, SpaceSettingsSchema, type SpaceSettings } from '../../core/spaces/settings.js';
import { assertCleanText } from '../http/input-guard.js';

// The schemas and their types live in core (proposal rules carry the settings); re-exported for the server's modules.
export * from '../../core/spaces/settings.js';
import { validateSpaceAbis } from '../../core/spaces/abis.js';

/** Defaults applied before validation, so a minimal settings object is enough to start a space. */
const DEFAULTS = {
  moderators: [],
  members: [],
  maxActiveProposalsPerAuthor: 10,
  votingDelay: 0,
  advance: 'auto',
  executionGracePeriod: 14 * DAY,
  proposalGate: { kind: 'power', minPower: '0' },
};

function lowercaseAddresses(settings: SpaceSettings): SpaceSettings {
  const lower = (list: string[]) => [...new Set(list.map((a) => a.toLowerCase()))];
  return {
    ...settings,
    token: settings.token.toLowerCase(),
    ...(settings.executor ? { executor: settings.executor.toLowerCase() } : {}),
    ...(settings.governor ? { governor: settings.governor.toLowerCase() } : {}),
    admins: lower(settings.admins),
    moderators: lower(settings.moderators),
    members: lower(settings.members),
    ...(settings.council ? { council: { ...settings.council, members: lower(settings.council.members) } } : {}),
  };
}

/** What the schema cannot say about kinds: their names, and one entry per token and per target. */
function validateKinds(kinds: SpaceSettings['kinds']): string[] {
  if (!kinds) return [];
  const problems: string[] = [];
  const namePattern = new RegExp(KIND_NAME_PATTERN);
  for (const [name, kind] of Object.entries(kinds)) {
    const at = `/kinds/${name}`;
    if (!namePattern.test(name)) problems.push(`${at}: a kind name is 1 to 32 of a-z, 0-9 and -, starting with a letter`);
    const tokens = (kind.payloadLimits?.maxOutflow ?? []).map((c) => c.token.toLowerCase());
    if (new Set(tokens).size !== tokens.length) problems.push(`${at}/payloadLimits/maxOutflow: one entry per token`);
    const targets = (kind.payloadLimits?.allowedCalls ?? []).map((c) => c.target.toLowerCase());
    if (new Set(targets).size !== targets.length) problems.push(`${at}/payloadLimits/allowedCalls: one entry per target`);
  }
  return problems;
}

/** Rules across fields that the schema cannot say. */
function crossFieldProblems(settings: SpaceSettings): string[] {
  const problems: string[] = [];
  if (settings.council) {
    const members = new Set(settings.council.members.map((a) => a.toLowerCase()));
    if (members.size !== settings.council.members.length) problems.push('/council/members: each member may be listed once');
    if (settings.council.threshold > members.size) {
      problems.push(`/council/threshold: ${settings.council.threshold} vetoes needed, but the council has ${members.size} members`);
    }
  }
  return problems;
}

/** Parses the settings JSON of a Space message; throws INVALID_SETTINGS naming every problem. */
export function parseSpaceSettings(json: string, deploymentChainId: number): SpaceSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InvalidInputError('INVALID_SETTINGS', 'settings is not valid JSON', { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidInputError('INVALID_SETTINGS', 'settings must be a JSON object');
  }
  // The settings are stored as jsonb: no NUL, no lone surrogate, bounded nesting (400, not a failed write).
  assertCleanText('settings', raw, 'INVALID_SETTINGS');
  const candidate = { ...DEFAULTS, ...(raw as Record<string, unknown>) };
  const problems = [...Value.Errors(SpaceSettingsSchema, candidate)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
  if (problems.length === 0) {
    const settings = candidate as unknown as SpaceSettings;
    problems.push(...validateStrategyRefs(settings.strategies).map((p) => `/strategies: ${p}`));
    problems.push(...validateSpaceAbis(settings.abis));
    problems.push(...validateKinds(settings.kinds));
    problems.push(...crossFieldProblems(settings));
    if (settings.chainId !== deploymentChainId) {
      problems.push(`/chainId: this deployment serves chain ${deploymentChainId}, not ${settings.chainId}`);
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError('INVALID_SETTINGS', `invalid space settings: ${problems.slice(0, 5).join('; ')}`, { details: { problems } });
  }
  return lowercaseAddresses(candidate as unknown as SpaceSettings);
}
