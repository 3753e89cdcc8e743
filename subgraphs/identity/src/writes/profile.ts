import { z } from 'zod';
import { badInput, parseInput } from '@pathway/kit';
import type { Prisma as IdentityPrisma } from '../generated/prisma/client.ts';
import type { ResolverContext } from '../context.ts';
import { recordHistory } from '../data/history.ts';
import { deletePreference, setPreference } from '../data/preferences.ts';
import { saveProfile } from '../data/profiles.ts';

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const tags = z.array(z.string().trim().min(1).max(100)).max(50, 'at most 50 entries');
const profileSchema = z.object({
  avatarUrl: url.nullish(),
  bio: z.string().max(2000, 'at most 2000 characters').nullish(),
  socialLinks: z.object({ twitter: url.nullish(), linkedin: url.nullish(), facebook: url.nullish(), website: url.nullish() }).nullish(),
  skills: tags.nullish(),
  interests: tags.nullish(),
  goals: tags.nullish(),
});

async function me(ctx: ResolverContext) {
  const user = await ctx.loaders.user.load(ctx.identity.userId);
  if (!user) throw badInput('Your account no longer exists.');
  return user;
}

/** A person edits their own profile; the change is recorded in the account history. */
export async function updateMyProfile(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(profileSchema, raw);
  const user = await me(ctx);
  const fields = Object.fromEntries(
    Object.entries(input)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [
        k,
        k === 'socialLinks'
          ? Object.fromEntries(Object.entries(v ?? {}).filter(([, link]) => link))
          : (v ?? (['skills', 'interests', 'goals'].includes(k) ? [] : null)),
      ]),
  );
  // The history row and the document change go together: the Mongo write happens inside the
  // Postgres transaction, so a failed write leaves no history entry (a failed commit after it is the one gap).
  const saved = await ctx.db.run(async (tx) => {
    const result = await saveProfile(ctx.mongo, user.id, user.tenantId, fields);
    const before = Object.fromEntries(Object.keys(fields).map((k) => [k, (result.before as Record<string, unknown> | null)?.[k] ?? null]));
    await recordHistory(tx, {
      tenantId: user.tenantId,
      userId: user.id,
      actorId: user.id,
      action: 'profile_update',
      before,
      after: fields,
    });
    return result.after;
  });
  ctx.loaders.profile.clear(user.id);
  return { ...saved, id: saved._id };
}

const preferenceKey = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, dot, underscore or dash, at most 100');

export async function setMyPreference(ctx: ResolverContext, key: string, value: unknown) {
  parseInput(z.object({ key: preferenceKey }), { key });
  if (value === null || value === undefined)
    throw badInput('A preference needs a value (use deleteMyPreference to remove it).', { value: 'required' });
  if (JSON.stringify(value).length > 10_000)
    throw badInput('A preference value must be at most 10 000 characters of JSON.', { value: 'too large' });
  const user = await me(ctx);
  return ctx.db.run((tx) => setPreference(tx, user, key, value as IdentityPrisma.InputJsonValue));
}

export async function deleteMyPreference(ctx: ResolverContext, key: string) {
  return ctx.db.run((tx) => deletePreference(tx, ctx.identity.userId, key));
}
