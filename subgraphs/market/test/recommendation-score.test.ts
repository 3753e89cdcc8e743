import { describe, expect, it } from 'vitest';
import {
  rank,
  recommendationId,
  scoreCandidate,
  WEIGHTS,
  wordsOf,
  type Candidate,
  type PersonSignals,
} from '../src/recommendation-score.ts';

// The ranking is a pure function: the same signals give the same order, each point has its reason,
// and feedback moves the item rated and the items alike.

const person: PersonSignals = {
  skills: ['cooking'],
  interests: ['gardening'],
  goals: ['start a cleaning business'],
  programs: [{ name: 'Culinary Arts', words: 'kitchen cooking food safety' }],
};
const model = (id: string, title: string, group: string, words = ''): Candidate => ({
  type: 'business_idea',
  entityType: 'business_model',
  entityId: id,
  title,
  description: null,
  words: `${group} ${words}`,
  group,
});
const catering = model('a', 'Catering for events', 'food_service', 'cook meals');
const foodTruck = model('b', 'Food truck', 'food_service', 'street cooking');
const cleaners = model('c', 'Office cleaners', 'cleaning');
const unrelated = model('d', 'Crypto trading', 'finance');

describe('recommendation scoring', () => {
  it('folds words so a skill meets its item', () => {
    expect(wordsOf('Cleaning the offices')).toEqual(new Set(['clean', 'offic']));
    expect([...wordsOf('cooks')]).toEqual(['cook']);
  });

  it('adds each matching signal with its reason, and leaves out what nothing matches', () => {
    const scored = scoreCandidate(person, catering, []);
    expect(scored.score).toBe(WEIGHTS.skill + WEIGHTS.program);
    expect(scored.reasons).toEqual(['Matches your skill "cooking"', `Your facility's program "Culinary Arts" prepares for it`]);
    expect(scoreCandidate(person, cleaners, []).reasons).toEqual(['Matches your goal "start a cleaning business"']);
    const ranked = rank(person, [unrelated, cleaners, foodTruck, catering], []);
    expect(ranked.map((r) => r.entityId)).toEqual(['a', 'b', 'c']);
    // Deterministic: the same inputs in another order give the same answer.
    expect(rank(person, [catering, foodTruck, cleaners, unrelated], [])).toEqual(ranked);
  });

  it('moves the rated item, and the items of its group, by the rating; implemented ones drop', () => {
    const low = rank(
      person,
      [catering, foodTruck, cleaners],
      [{ entityType: 'business_model', entityId: 'a', group: 'food_service', rating: 1, implemented: false }],
    );
    // a: 3 + 1.5 − 3 (own 1/5) = 1.5; b: 3 + 1.5 − 1.5 (its group at 1/5) = 3; c: 2.
    expect(low.map((r) => [r.entityId, r.score])).toEqual([
      ['b', 3],
      ['c', 2],
      ['a', 1.5],
    ]);
    expect(low.find((r) => r.entityId === 'b')!.reasons).toContain('You rated similar food service items 1/5 on average');
    const high = rank(
      person,
      [catering, foodTruck, cleaners],
      [{ entityType: 'business_model', entityId: 'c', group: 'cleaning', rating: 5, implemented: false }],
    );
    expect(high[0]!.entityId).toBe('c');
    expect(high[0]!.reasons).toContain('You rated it 5/5');
    const done = rank(
      person,
      [catering, foodTruck],
      [{ entityType: 'business_model', entityId: 'a', group: 'food_service', rating: 5, implemented: true }],
    );
    // a: 4.5 + 3 (5/5) − 4 (implemented) = 3.5, below the 6 of b (its group rated 5/5).
    expect(done.map((r) => [r.entityId, r.score])).toEqual([
      ['b', 6],
      ['a', 3.5],
    ]);
  });

  it('gives one stable UUID per person and item', () => {
    const id = recommendationId('t', 'u', 'business_model', 'a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recommendationId('t', 'u', 'business_model', 'a')).toBe(id);
    expect(recommendationId('t', 'v', 'business_model', 'a')).not.toBe(id);
  });
});
