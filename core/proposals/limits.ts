/** Size limits of a proposal (documented in docs/api.md). Snapshot's limits, where it has one. */
export const PROPOSAL_LIMITS = {
  titleMaxChars: 256,
  bodyMaxChars: 10_000,
  discussionMaxChars: 512,
  minChoices: 2,
  maxChoices: 20,
  choiceMaxChars: 128,
  maxCalls: 10,
  calldataMaxBytes: 10_240,
  payloadMaxBytes: 65_536,
} as const;
