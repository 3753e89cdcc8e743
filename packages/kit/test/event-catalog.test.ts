import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_CATALOG, EVENT_TYPES, eventTypesOf, isEventType, type SubgraphName } from '../src/event-catalog.ts';
import { livePublishSites, sourceFiles, type PublishSite } from './support/publish-sites.ts';

const SUBGRAPHS: SubgraphName[] = ['identity', 'campus', 'learning', 'behavior', 'market'];
const subgraphsDir = path.resolve(import.meta.dirname, '../../../subgraphs');
const srcOf = (subgraph: string) => path.join(subgraphsDir, subgraph, 'src');

/** The catalog types with no live publishing call site in their owner's source. */
function unpublished(types: readonly string[], ownerOf: (type: string) => string, sites: PublishSite[]): string[] {
  return types.filter((type) => !sites.some((site) => site.type === type && site.file.startsWith(srcOf(ownerOf(type)) + path.sep)));
}

describe('event catalog', () => {
  // One program over every subgraph's source (not tests, not generated code).
  const sites = livePublishSites(SUBGRAPHS.flatMap((subgraph) => sourceFiles(srcOf(subgraph))));

  it('advertises only event types their owning subgraph really publishes', () => {
    expect(unpublished(EVENT_TYPES, (type) => EVENT_CATALOG[type as keyof typeof EVENT_CATALOG].subgraph, sites)).toEqual([]);
  });

  it('knows every event type the subgraphs publish, each published by its owner only', () => {
    for (const site of sites) {
      expect(isEventType(site.type), `${site.file}:${site.line}`).toBe(true);
      if (isEventType(site.type)) expect(site.file.startsWith(srcOf(EVENT_CATALOG[site.type].subgraph)), site.file).toBe(true);
    }
  });

  it('fails for a type that is advertised but never published', () => {
    const withPhantom = [...EVENT_TYPES, 'learning.phantom.never_published'];
    expect(unpublished(withPhantom, (type) => type.split('.')[0]!, sites)).toEqual(['learning.phantom.never_published']);
  });

  it('gives each subgraph its own types', () => {
    expect(eventTypesOf('market')).toEqual([
      'market.asset.transferred',
      'market.reservation.changed',
      'market.transaction.completed',
      'market.property.verified',
      'market.property.changed',
      'market.project.changed',
    ]);
    expect(eventTypesOf('learning')).toEqual([
      'learning.sync.finished',
      'learning.milestone.completed',
      'learning.outcome.awarded',
      'learning.content_request.changed',
    ]);
    expect(eventTypesOf('identity', 'campus')).toHaveLength(8);
    expect(isEventType('market.reservation.changed')).toBe(true);
    expect(isEventType('market.listing.sold')).toBe(false);
  });
});

describe('live publish sites', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'publish-sites-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it('counts a publish helper only if something that runs calls it (as with the phantom types before)', () => {
    const files = [
      write(
        'events.ts',
        `declare const events: { publish(e: object): void; pending(e: object): object };
        export function publishUsed() { return events.publish({ type: 'x.used.happened', tenantId: 't' }); }
        export function publishUnused() { return events.publish({ type: 'x.unused.happened', tenantId: 't' }); }
        export const pendingViaUnused = () => events.pending({ type: 'x.indirect.happened' });
        function onlyCalledByUnused() { return pendingViaUnused(); }
        export function unusedCaller() { return onlyCalledByUnused(); }
        export const constant = 'x.not.a.call';`,
      ),
      write(
        'resolvers.ts',
        `import { publishUsed } from './events.ts';
        export const Mutation = { doIt: () => publishUsed() };`,
      ),
    ];
    expect(livePublishSites(files).map((site) => site.type)).toEqual(['x.used.happened']);
  });
});
