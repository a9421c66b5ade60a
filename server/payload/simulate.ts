/** The per-call payload simulation moved to core (core/simulation/calls.ts): the relayer simulates payloads too. */
export * from '../../core/simulation/calls.js';
