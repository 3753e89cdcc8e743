import {
  badInput,
  conflict,
  forbidden,
  notFound,
  parseInput,
  reachOf,
  rethrowDuplicate,
  uuidArg,
  type Identity,
  type References,
} from '@pathway/kit';
import { z } from 'zod';
import { helpfulLinkAccess, openContentProviderAccess, videoAccess } from '../access.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type {
  AddHelpfulLinkInput,
  AddVideoInput,
  CreateOpenContentProviderInput,
  UpdateHelpfulLinkInput,
  UpdateOpenContentProviderInput,
} from '../generated/graphql.ts';
import type { ProviderSettings } from '../providers/settings.ts';
import { baseUrlField, facilityIdsField } from './provider-inputs.ts';
import { checkedFacilities, showAt } from './content-visibility.ts';

type Tx = Prisma.TransactionClient;

// Open content administration (`learning.content.manage`). Providers are tenant-wide: only tenant
// (and system) administrators add or change them; links and videos any administrator adds, shown
// at the facilities in their reach.

const title = z.string().trim().min(1, 'required').max(500, 'at most 500 characters');
const text = z.string().trim().max(5000, 'at most 5000 characters');
/** An address people open in a browser: http(s), at most 2048 characters. */
const pageUrl = z
  .string()
  .trim()
  .max(2048, 'at most 2048 characters')
  .refine((url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol), 'must be an http:// or https:// URL');
const kindField = z.enum(['kiwix', 'youtube', 'khan_academy']);

const providerSchema = (allowPrivate: boolean) =>
  z.object({
    kind: kindField,
    title,
    // The server reads a Kiwix catalog and YouTube metadata from these: the provider address rules apply.
    url: baseUrlField(allowPrivate),
    apiUrl: baseUrlField(allowPrivate).nullish(),
    thumbnailUrl: pageUrl.nullish(),
    description: text.nullish(),
  });
const providerUpdateSchema = (allowPrivate: boolean) =>
  providerSchema(allowPrivate).omit({ kind: true }).partial().extend({ currentlyEnabled: z.boolean().nullish() });

const providerTitleTaken = rethrowDuplicate('A content provider with that title exists in this tenant.', { title: 'already used' });

function tenantAdministrator(identity: Identity) {
  if (reachOf(identity) === 'facility') throw forbidden('Only tenant administrators add or change content providers.');
}

/** The provider row, locked; NOT_FOUND outside the caller's tenant. */
export async function lockContentProvider(tx: Tx, identity: Identity, id: string, field = 'id') {
  const providerId = uuidArg(id, field)!;
  await tx.$queryRaw`SELECT id FROM open_content_providers WHERE id = ${providerId}::uuid FOR UPDATE`;
  const found = await tx.openContentProvider.findFirst({ where: { AND: [{ id: providerId }, openContentProviderAccess.where(identity)] } });
  if (!found) throw notFound('The content provider');
  return found;
}

export function createContentProvider(tx: Tx, identity: Identity, settings: ProviderSettings, raw: CreateOpenContentProviderInput) {
  const input = parseInput(providerSchema(settings.allowPrivateNetworks), raw, 'The content provider');
  tenantAdministrator(identity);
  return tx.openContentProvider
    .create({
      data: {
        tenantId: identity.tenantId,
        kind: input.kind,
        title: input.title,
        url: input.url,
        apiUrl: input.apiUrl ?? null,
        thumbnailUrl: input.thumbnailUrl ?? null,
        description: input.description ?? null,
        createdBy: identity.userId,
      },
    })
    .catch(providerTitleTaken);
}

export async function updateContentProvider(
  tx: Tx,
  identity: Identity,
  settings: ProviderSettings,
  id: string,
  raw: UpdateOpenContentProviderInput,
) {
  const input = parseInput(providerUpdateSchema(settings.allowPrivateNetworks), raw, 'The content provider');
  tenantAdministrator(identity);
  const current = await lockContentProvider(tx, identity, id);
  return tx.openContentProvider
    .update({
      where: { id: current.id },
      data: {
        ...(input.title ? { title: input.title } : {}),
        ...(input.url ? { url: input.url } : {}),
        ...(input.apiUrl !== undefined ? { apiUrl: input.apiUrl } : {}),
        ...(input.thumbnailUrl !== undefined ? { thumbnailUrl: input.thumbnailUrl } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.currentlyEnabled != null ? { currentlyEnabled: input.currentlyEnabled } : {}),
      },
    })
    .catch(providerTitleTaken);
}

const linkSchema = z.object({
  title,
  url: pageUrl,
  description: text.nullish(),
  thumbnailUrl: pageUrl.nullish(),
  openContentProviderId: z.guid('not an id').nullish(),
  facilityIds: facilityIdsField.nullish(),
});
const linkUpdateSchema = linkSchema.omit({ openContentProviderId: true, facilityIds: true }).partial();
const linkTaken = rethrowDuplicate('A helpful link with that address exists in this tenant.', { url: 'already added' });

export async function addHelpfulLink(tx: Tx, identity: Identity, refs: References, raw: AddHelpfulLinkInput) {
  const input = parseInput(linkSchema, raw, 'The helpful link');
  if (input.openContentProviderId) await lockContentProvider(tx, identity, input.openContentProviderId, 'openContentProviderId');
  const facilities = await checkedFacilities(refs, identity, input.facilityIds ?? []);
  const link = await tx.helpfulLink
    .create({
      data: {
        tenantId: identity.tenantId,
        title: input.title,
        url: input.url,
        description: input.description ?? null,
        thumbnailUrl: input.thumbnailUrl ?? null,
        openContentProviderId: input.openContentProviderId ?? null,
        createdBy: identity.userId,
      },
    })
    .catch(linkTaken);
  await showAt(tx, identity, 'helpful_link', link.id, facilities);
  return link;
}

async function lockLink(tx: Tx, identity: Identity, id: string) {
  const linkId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM helpful_links WHERE id = ${linkId}::uuid FOR UPDATE`;
  const found = await tx.helpfulLink.findFirst({ where: { AND: [{ id: linkId }, helpfulLinkAccess.where(identity)] } });
  if (!found) throw notFound('The helpful link');
  return found;
}

export async function updateHelpfulLink(tx: Tx, identity: Identity, id: string, raw: UpdateHelpfulLinkInput) {
  const input = parseInput(linkUpdateSchema, raw, 'The helpful link');
  const current = await lockLink(tx, identity, id);
  return tx.helpfulLink
    .update({
      where: { id: current.id },
      data: {
        ...(input.title ? { title: input.title } : {}),
        ...(input.url ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.thumbnailUrl !== undefined ? { thumbnailUrl: input.thumbnailUrl } : {}),
      },
    })
    .catch(linkTaken);
}

export async function removeHelpfulLink(tx: Tx, identity: Identity, id: string) {
  const current = await lockLink(tx, identity, id);
  // Visibility rows and favorites go with it (foreign keys cascade).
  await tx.helpfulLink.delete({ where: { id: current.id } });
  return current;
}

/** The 11-character YouTube video id of an address (watch?v=, youtu.be/, /embed/, /shorts/), or null. */
export function youtubeVideoId(address: string): string | null {
  if (!URL.canParse(address)) return null;
  const url = new URL(address);
  const host = url.hostname.replace(/^(www|m)\./, '');
  const candidate =
    host === 'youtu.be'
      ? url.pathname.slice(1)
      : host === 'youtube.com' || host === 'youtube-nocookie.com'
        ? (url.searchParams.get('v') ?? url.pathname.match(/^\/(?:embed|shorts|live)\/([^/]+)/)?.[1] ?? '')
        : '';
  return /^[A-Za-z0-9_-]{11}$/.test(candidate) ? candidate : null;
}

const videoSchema = z.object({
  openContentProviderId: z.guid('not an id'),
  url: pageUrl.refine((url) => youtubeVideoId(url) !== null, 'must be a YouTube video address (youtube.com/watch?v=… or youtu.be/…)'),
  facilityIds: facilityIdsField.nullish(),
});
const videoTaken = rethrowDuplicate('That video was added already.', { url: 'already added' });

/** A new video, `processing` until the metadata job (jobs.ts `content.video.metadata`) fetches it. */
export async function addVideo(tx: Tx, identity: Identity, refs: References, raw: AddVideoInput) {
  const input = parseInput(videoSchema, raw, 'The video');
  const provider = await lockContentProvider(tx, identity, input.openContentProviderId, 'openContentProviderId');
  if (provider.kind !== 'youtube')
    throw badInput('Videos are added to a YouTube provider.', { openContentProviderId: `is a ${provider.kind} provider` });
  const facilities = await checkedFacilities(refs, identity, input.facilityIds ?? []);
  const externalId = youtubeVideoId(input.url)!;
  const video = await tx.video
    .create({
      data: {
        tenantId: provider.tenantId,
        openContentProviderId: provider.id,
        externalId,
        url: `https://www.youtube.com/watch?v=${externalId}`,
        title: externalId, // until the metadata arrives
        createdBy: identity.userId,
      },
    })
    .catch(videoTaken);
  await showAt(tx, identity, 'video', video.id, facilities);
  return video;
}

/** Sends a video whose metadata could not be fetched back to `processing` (the job tries again). */
export async function retryVideo(tx: Tx, identity: Identity, id: string) {
  const videoId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM videos WHERE id = ${videoId}::uuid FOR UPDATE`;
  const video = await tx.video.findFirst({ where: { AND: [{ id: videoId }, videoAccess.where(identity)] } });
  if (!video) throw notFound('The video');
  if (video.availability !== 'has_error')
    throw conflict(`The video is ${video.availability}; only one that has an error is tried again.`, {
      reason: 'INVALID_TRANSITION',
      from: video.availability,
      to: 'processing',
      allowed: video.availability === 'processing' ? [] : ['has_error'],
    });
  return tx.video.update({ where: { id: video.id }, data: { availability: 'processing', lastError: null } });
}
