/**
 * The parent type behind each GraphQL type whose resolvers receive something other than the
 * generated type (codegen.ts reads every `…Mapper` here): a Prisma row, a Mongo document as
 * data/assets.ts hands it out, and a reference to the person identity owns.
 */
import type { ActivityLog, PropertyMedia, Reservation, Tag, Transaction } from './generated/prisma/client.ts';
import type { BusinessModelRow } from './data/business-models.ts';
import type { RecommendationRow } from './data/recommendations.ts';
import type { FinancialsDoc, MilestoneDoc, ProjectRow } from './data/projects.ts';
import type { FoundProperty } from './data/property-search.ts';
import type { FoundCityResource } from './data/city-resources.ts';
import type { DigitalAssetRow } from './data/assets.ts';
import type { PlacedAssetDoc, SpaceDocument, VirtualSpaceRow } from './data/spaces.ts';

/** A listing row; with its distance when a radius search found it. */
export type PropertyMapper = FoundProperty;
export type PropertyMediaMapper = PropertyMedia;
export type ActivityLogEntryMapper = ActivityLog;
export type ReservationMapper = Reservation;
export type TransactionMapper = Transaction;
/** identity owns tenants: market names the listing's organization by id. */
export type TenantMapper = { id: string };
/** The asset document with `_id` as `id`, without its pending events. */
export type DigitalAssetMapper = DigitalAssetRow;
/** identity owns the person: market hangs listings and holdings on the id. */
export type UserMapper = { id: string };
/** The space document with `_id` as `id`. */
export type VirtualSpaceMapper = VirtualSpaceRow;
export type PlacedAssetMapper = PlacedAssetDoc;
/** The stored access control list: people by id. */
export type SpaceAccessControlMapper = SpaceDocument['accessControl'];
/** A resource row; with its distance when a radius search found it. */
export type CityResourceMapper = FoundCityResource;
export type TagMapper = Tag;
/** The model document with `_id` as `id` (money as decimal strings). */
export type BusinessModelMapper = BusinessModelRow;
/** The project document with `_id` as `id`, without its pending events. */
export type BusinessProjectMapper = ProjectRow;
export type ProjectProgressMapper = ProjectRow['progress'];
export type ProjectMilestoneMapper = MilestoneDoc;
/** The stored lines: the totals are computed on read (writes/project-money.ts). */
export type ProjectFinancialsMapper = FinancialsDoc;
/** A recommendation as ranked now (recommendation-score.ts), with its stable id and the person's feedback. */
export type RecommendationMapper = RecommendationRow;
