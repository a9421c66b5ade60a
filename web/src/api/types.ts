/** Names for the API's shapes, all derived from the generated schema.d.ts. */
import type { GetResponse } from './client';

export type Space = GetResponse<'/api/spaces/{id}'>;
export type Proposal = GetResponse<'/api/proposals/{id}'>;
export type ProposalState = Proposal['state'];
export type StageResult = Proposal['results'][number];
export type TallyAnswer = GetResponse<'/api/proposals/{id}/tally'>;
export type Tally = TallyAnswer['tally'];
export type Vote = GetResponse<'/api/proposals/{id}/votes'>['items'][number];
export type Transition = GetResponse<'/api/proposals/{id}/history'>['items'][number];
export type Info = GetResponse<'/api/info'>;
export type ProposalRules = GetResponse<'/api/proposals/{id}/rules'>;
export type StageRules = ProposalRules['stages'][number];
export type Simulation = Proposal['simulations'][number];
export type VetoState = NonNullable<Proposal['veto']>;
