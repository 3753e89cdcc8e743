import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SeededPerson, type SignedIn } from './support/seed.ts';

// Recommendations through the gateway: ranked by the service from the person's identity profile
// (skills, interests, goals), their facility's programs (campus) and the tenant's business models,
// each with its reasons; deterministic; feedback changes later rankings; only the person's own.

const RECS = `query($type: RecommendationType, $first: Int, $after: String) { me { recommendations(type: $type, first: $first, after: $after) {
  nodes { id recommendationType title score reasons relatedEntity { entityType entityId } businessModel { id name } feedback { rating comment implemented } }
  pageInfo { hasNextPage endCursor } } } }`;
const RATE = `mutation($id: UUID!, $input: RecommendationFeedbackInput!) { rateRecommendation(id: $id, input: $input) {
  recommendationId recommendation { id title score reasons feedback { rating comment implemented } } } }`;
const MODEL = `mutation($input: BusinessModelInput!) { createBusinessModel(input: $input) { modelId } }`;
const PROFILE = `mutation($input: ProfileInput!) { updateMyProfile(input: $input) { skills } }`;

type Rec = {
  id: string;
  title: string;
  score: number;
  reasons: string[];
  businessModel: { id: string } | null;
  feedback: { rating: number } | null;
};

let resident: SignedIn, peer: SignedIn, staff: SignedIn, partner: SignedIn;
let residentP: SeededPerson;
let mongo: MongoClient;

async function ranking(who = resident): Promise<Rec[]> {
  const res = await who.gql<{ me: { recommendations: { nodes: Rec[] } } }>(RECS, { type: 'business_idea', first: 50 });
  expect(res.errors).toBeUndefined();
  return res.data!.me.recommendations.nodes;
}
const byTitle = (recs: Rec[], title: string) => recs.find((r) => r.title === title)!;

beforeAll(async () => {
  const tenant = await seed.tenant();
  const f = await tenant.facility();
  await f.program({ name: 'Culinary Arts' });
  residentP = await f.resident();
  [resident, peer, staff, partner] = await Promise.all([
    residentP.api(),
    f.resident().then((p) => p.api()),
    f.staff().then((p) => p.api()),
    tenant.person('partner', f.id).then((p) => p.api()),
  ]);
  mongo = await MongoClient.connect(inject('mongoUrl'));
  const profile = await resident.gql(PROFILE, {
    input: { skills: ['cooking'], interests: ['gardening'], goals: ['start a cleaning business'] },
  });
  expect(profile.errors).toBeUndefined();
  for (const input of [
    {
      name: 'Catering for events',
      category: 'food_service',
      description: 'Culinary work for weddings and offices.',
      keyActivities: ['cook meals'],
    },
    { name: 'Food truck', category: 'food_service', keyActivities: ['street cooking'] },
    { name: 'Office cleaners', category: 'cleaning' },
    { name: 'Crypto trading', category: 'finance' },
  ])
    expect((await partner.gql(MODEL, { input })).errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await mongo.close();
});

describe('recommendations', () => {
  it('ranks from the profile, the facility programs and the models, says why, and gives the same answer twice', async () => {
    const recs = await ranking();
    expect(recs.map((r) => [r.title, r.score])).toEqual([
      ['Catering for events', 4.5],
      ['Food truck', 3],
      ['Office cleaners', 2],
    ]);
    expect(byTitle(recs, 'Catering for events').reasons).toEqual([
      'Matches your skill "cooking"',
      `Your facility's program "Culinary Arts" prepares for it`,
    ]);
    expect(byTitle(recs, 'Office cleaners').reasons).toEqual(['Matches your goal "start a cleaning business"']);
    expect(byTitle(recs, 'Food truck').businessModel).not.toBeNull();
    expect(await ranking()).toEqual(recs);
    // Paged by rank.
    const first = await resident.gql<{ me: { recommendations: { nodes: Rec[]; pageInfo: { endCursor: string; hasNextPage: boolean } } } }>(
      RECS,
      {
        type: 'business_idea',
        first: 2,
      },
    );
    const rest = await resident.gql<{ me: { recommendations: { nodes: Rec[]; pageInfo: { hasNextPage: boolean } } } }>(RECS, {
      type: 'business_idea',
      first: 2,
      after: first.data!.me.recommendations.pageInfo.endCursor,
    });
    expect([...first.data!.me.recommendations.nodes, ...rest.data!.me.recommendations.nodes].map((r) => r.id)).toEqual(
      recs.map((r) => r.id),
    );
    expect(rest.data!.me.recommendations.pageInfo.hasNextPage).toBe(false);
    // Someone of the same facility with no profile: only what the facility's program earns.
    const theirs = await ranking(peer);
    expect(theirs.map((r) => [r.title, r.score, r.reasons])).toEqual([
      ['Catering for events', 1.5, [`Your facility's program "Culinary Arts" prepares for it`]],
    ]);
    expect(theirs[0]!.id).not.toBe(byTitle(recs, 'Catering for events').id);
  });

  it('feedback changes later rankings: a low rating drops the idea and its kind, a high one lifts it', async () => {
    const before = await ranking();
    const catering = byTitle(before, 'Catering for events');
    const rated = await resident.gql<{ rateRecommendation: { recommendation: Rec } }>(RATE, {
      id: catering.id,
      input: { rating: 1, comment: 'Not for me: early mornings.' },
    });
    expect(rated.errors).toBeUndefined();
    expect(rated.data!.rateRecommendation.recommendation).toMatchObject({ id: catering.id, score: 1.5, feedback: { rating: 1 } });
    const after = await ranking();
    expect(after[0]!.title).toBe('Office cleaners');
    expect(byTitle(after, 'Catering for events').reasons).toContain('You rated it 1/5');
    expect(byTitle(after, 'Food truck').score).toBeLessThan(byTitle(before, 'Food truck').score);
    expect(byTitle(after, 'Food truck').reasons).toContain('You rated similar food service items 1/5 on average');
    // Giving it again replaces it: a 5 puts it first.
    await resident.gql(RATE, { id: catering.id, input: { rating: 5 } });
    expect((await ranking())[0]!.title).toBe('Catering for events');
    // Implemented: it is no news any more.
    await resident.gql(RATE, { id: catering.id, input: { rating: 5, implemented: true } });
    expect(byTitle(await ranking(), 'Catering for events').reasons).toContain('You have put it into practice already');
    const doc = await mongo
      .db('pathway_market')
      .collection('recommendations')
      .findOne({ _id: catering.id as never });
    expect(doc).toMatchObject({
      userId: residentP.id,
      recommendationType: 'business_idea',
      userFeedback: { rating: 5, implemented: true },
    });
  });

  it("is the person's own: others cannot read or rate it; bad feedback is refused and nothing is stored", async () => {
    const [rec] = await ranking();
    const read = `query($id: UUID!) { user(id: $id) { recommendations { nodes { id } } } }`;
    for (const who of [peer, staff]) {
      const res = await who.gql<{ user: { recommendations: unknown } | null }>(read, { id: residentP.id });
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    // The id is the resident's: anyone else finds no such recommendation.
    for (const who of [peer, staff]) expect(codes(await who.gql(RATE, { id: rec!.id, input: { rating: 4 } }))).toEqual(['NOT_FOUND']);
    const stored = async () =>
      (
        await mongo
          .db('pathway_market')
          .collection('recommendations')
          .findOne({ _id: rec!.id as never })
      )?.userFeedback ?? null;
    const before = await stored();
    for (const input of [{ rating: 0 }, { rating: 6 }, { rating: 2.5 }, { rating: 3, comment: 'x'.repeat(2001) }])
      expect([input, codes(await resident.gql(RATE, { id: rec!.id, input }))]).toEqual([input, ['BAD_USER_INPUT']]);
    expect(codes(await resident.gql(RATE, { id: 'nope', input: { rating: 3 } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(RATE, { id: randomUUID(), input: { rating: 3 } }))).toEqual(['NOT_FOUND']);
    expect(await stored()).toEqual(before);
  });
});
