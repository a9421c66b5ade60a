/**
 * A vote's choice: parsing the signed JSON string into a {@link Choice}, serializing it back, and
 * narrowing an already-parsed Choice to the shape a counting rule expects.
 *
 * Parsing is stricter than JSON.parse on purpose: only integers are accepted (no "1.0", "1e0",
 * leading zeros, duplicate object keys or escapes), so every ballot has exactly one spelling and
 * no two readers can disagree about what a signed choice means.
 */
import { InvalidInputError } from '../../core/errors.js';
import { BASIC_CHOICES, type Choice, type VotingType } from '../../core/tally/types.js';

/** Upper bound on a weighted/quadratic ballot's weight sum: keeps weights exact and ballots small. */
export const MAX_WEIGHT_SUM = 1_000_000;

/** Longer choice strings are rejected before parsing (Snapshot's whole vote body is 10,000 chars). */
export const MAX_CHOICE_JSON_LENGTH = 10_000;

/**
 * Parses a signed choice for a proposal of `votingType` with `choiceCount` choices (basic always
 * has the 3 choices For, Against, Abstain, whatever `choiceCount` says).
 * - basic, single-choice: `2`
 * - approval: `[1,3]`, distinct and non-empty; returned sorted ascending (order carries no meaning)
 * - ranked-choice: `[2,1,3]`, a full ranking (a permutation of 1..choiceCount), order kept
 * - weighted, quadratic: `{"1":2,"3":1}`, choice index -> positive integer weight, at least one
 *   entry, weights summing to at most MAX_WEIGHT_SUM
 * Throws InvalidInputError CHOICE_OUT_OF_RANGE for an index outside 1..choiceCount and
 * INVALID_CHOICE for anything else that is wrong.
 */
export function parseChoice(votingType: VotingType, choiceJson: string, choiceCount: number): Choice {
  if (typeof choiceJson !== 'string') throw invalidChoice('choice must be a JSON string');
  if (choiceJson.length > MAX_CHOICE_JSON_LENGTH) {
    throw invalidChoice(`choice is longer than ${MAX_CHOICE_JSON_LENGTH} characters`);
  }
  const value = new StrictChoiceReader(choiceJson, votingType).read();
  switch (votingType) {
    case 'basic':
      return parseSingleIndex(value, BASIC_CHOICES.length, votingType);
    case 'single-choice':
      return parseSingleIndex(value, choiceCount, votingType);
    case 'approval':
      return parseApproval(value, choiceCount);
    case 'ranked-choice':
      return parseRanking(value, choiceCount);
    case 'weighted':
    case 'quadratic':
      return parseWeights(value, choiceCount, votingType);
    default: {
      const unknownType: never = votingType;
      throw new InvalidInputError('INVALID_VOTING_TYPE', `unknown voting type "${String(unknownType)}"`);
    }
  }
}

/**
 * The canonical JSON of a parsed choice: no spaces, weighted keys in ascending index order (JS
 * orders integer-like keys that way), so parseChoice(serializeChoice(c)) deep-equals c.
 */
export function serializeChoice(choice: Choice): string {
  return JSON.stringify(choice);
}

// ---- Narrowing for the counting rules. A mismatch here is a programming error (the vote was not
// ---- parsed for this voting type), so these throw TypeError rather than a client error.

export function asChoiceIndex(choice: Choice): number {
  if (typeof choice !== 'number') throw new TypeError(`expected a single choice index, got ${serializeChoice(choice)}`);
  return choice;
}

export function asChoiceList(choice: Choice): number[] {
  if (!Array.isArray(choice)) throw new TypeError(`expected a list of choice indexes, got ${serializeChoice(choice)}`);
  return choice;
}

export function asChoiceWeights(choice: Choice): Record<string, number> {
  if (typeof choice !== 'object' || Array.isArray(choice)) {
    throw new TypeError(`expected choice weights, got ${serializeChoice(choice)}`);
  }
  return choice;
}

// ---- Per-type validation ----

const EXPECTED_SHAPE: Record<VotingType, string> = {
  basic: 'one choice index: 1 (For), 2 (Against) or 3 (Abstain)',
  'single-choice': 'one choice index, such as 1',
  approval: 'a non-empty array of distinct choice indexes, such as [1,3]',
  'ranked-choice': 'an array ranking every choice once, such as [2,1,3]',
  weighted: 'an object of choice index to positive integer weight, such as {"1":2,"3":1}',
  quadratic: 'an object of choice index to positive integer weight, such as {"1":2,"3":1}',
};

function wrongShape(votingType: VotingType): InvalidInputError {
  return invalidChoice(`a ${votingType} choice must be ${EXPECTED_SHAPE[votingType]}`);
}

function parseSingleIndex(value: ChoiceJson, choiceCount: number, votingType: VotingType): number {
  if (value.kind !== 'integer') throw wrongShape(votingType);
  checkRange(value.value, choiceCount);
  return value.value;
}

function parseApproval(value: ChoiceJson, choiceCount: number): number[] {
  if (value.kind !== 'array') throw wrongShape('approval');
  if (value.items.length === 0) throw invalidChoice('an approval vote must approve at least one choice');
  checkDistinctInRange(value.items, choiceCount);
  return [...value.items].sort((a, b) => a - b);
}

function parseRanking(value: ChoiceJson, choiceCount: number): number[] {
  if (value.kind !== 'array') throw wrongShape('ranked-choice');
  checkDistinctInRange(value.items, choiceCount);
  if (value.items.length !== choiceCount) {
    throw invalidChoice(`a ranked-choice vote must rank all ${choiceCount} choices; it ranks ${value.items.length}`);
  }
  return value.items;
}

const INDEX_KEY = /^-?(?:0|[1-9][0-9]*)$/;

function parseWeights(value: ChoiceJson, choiceCount: number, votingType: VotingType): Record<string, number> {
  if (value.kind !== 'object') throw wrongShape(votingType);
  if (value.entries.length === 0) throw invalidChoice(`a ${votingType} vote must give weight to at least one choice`);
  const weights: Record<string, number> = {};
  let weightSum = 0;
  for (const [key, weight] of value.entries) {
    if (!INDEX_KEY.test(key)) throw invalidChoice(`"${key}" is not a choice index`);
    checkRange(Number(key), choiceCount);
    if (Object.hasOwn(weights, key)) throw invalidChoice(`choice ${key} is given a weight twice`);
    if (weight < 1) throw invalidChoice(`the weight of choice ${key} must be a positive integer; got ${weight}`);
    weightSum += weight;
    if (weightSum > MAX_WEIGHT_SUM) throw invalidChoice(`weights must sum to at most ${MAX_WEIGHT_SUM}`);
    weights[key] = weight;
  }
  return weights;
}

function checkDistinctInRange(indexes: number[], choiceCount: number): void {
  const seen = new Set<number>();
  for (const index of indexes) {
    checkRange(index, choiceCount);
    if (seen.has(index)) throw invalidChoice(`choice ${index} is listed twice`);
    seen.add(index);
  }
}

function checkRange(index: number, choiceCount: number): void {
  if (index >= 1 && index <= choiceCount) return;
  throw new InvalidInputError('CHOICE_OUT_OF_RANGE', `choice ${index} is out of range: this proposal has choices 1 to ${choiceCount}`, {
    details: { choice: index, min: 1, max: choiceCount },
  });
}

function invalidChoice(message: string): InvalidInputError {
  return new InvalidInputError('INVALID_CHOICE', message);
}

// ---- Strict reader for the three JSON shapes a choice can take ----

type ChoiceJson = { kind: 'integer'; value: number } | { kind: 'array'; items: number[] } | { kind: 'object'; entries: Array<[key: string, value: number]> };

const INTEGER = /-?(?:0|[1-9][0-9]*)/y;
/** Object keys are choice indexes, so escapes and control characters are never needed. */
const PLAIN_STRING = /"([^"\\\u0000-\u001f]*)"/y;

/** Reads: integer | [integer, ...] | {"key": integer, ...}, with JSON whitespace between tokens. */
class StrictChoiceReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    /** Named in syntax errors, so a client sees what shape was expected. */
    private readonly votingType: VotingType,
  ) {}

  read(): ChoiceJson {
    this.skipSpace();
    const first = this.text[this.pos];
    let value: ChoiceJson;
    if (first === '[') value = { kind: 'array', items: this.readArray() };
    else if (first === '{') value = { kind: 'object', entries: this.readObject() };
    else value = { kind: 'integer', value: this.readInteger() };
    this.skipSpace();
    if (this.pos !== this.text.length) throw this.error('unexpected text after the value');
    return value;
  }

  private readArray(): number[] {
    this.pos++; // '['
    const items: number[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.readInteger());
      if (this.readSeparator(']')) return items;
    }
  }

  private readObject(): Array<[string, number]> {
    this.pos++; // '{'
    const entries: Array<[string, number]> = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return entries;
    }
    for (;;) {
      this.skipSpace();
      const key = this.readKey();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.error("expected ':'");
      this.pos++;
      this.skipSpace();
      entries.push([key, this.readInteger()]);
      if (this.readSeparator('}')) return entries;
    }
  }

  /** After an element: true at the closing bracket, false after a comma. */
  private readSeparator(close: string): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === close) {
      this.pos++;
      return true;
    }
    if (c !== ',') throw this.error(`expected ',' or '${close}'`);
    this.pos++;
    return false;
  }

  private readInteger(): number {
    INTEGER.lastIndex = this.pos;
    const match = INTEGER.exec(this.text);
    if (match === null) throw this.error('expected an integer');
    this.pos = INTEGER.lastIndex;
    const next = this.text[this.pos];
    if (next === '.' || next === 'e' || next === 'E') {
      throw this.error('only whole numbers are accepted: no fractions or exponent notation');
    }
    if (next !== undefined && next >= '0' && next <= '9') throw this.error('leading zeros are not accepted');
    return Number(match[0]);
  }

  private readKey(): string {
    PLAIN_STRING.lastIndex = this.pos;
    const match = PLAIN_STRING.exec(this.text);
    if (match === null) throw this.error('expected a quoted choice index');
    this.pos = PLAIN_STRING.lastIndex;
    return match[1] ?? '';
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.pos++;
    }
  }

  private error(problem: string): InvalidInputError {
    const expected = `a ${this.votingType} choice must be ${EXPECTED_SHAPE[this.votingType]}`;
    return invalidChoice(`choice is not valid: ${problem} at position ${this.pos}; ${expected}`);
  }
}
