import { parseStreamEntry, type StreamEvent } from '@pathway/kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event a tenant's endpoints could match; null for anything else (a malformed one would otherwise fail forever). */
export function deliverableEvent(id: string, fields: string[] | null): StreamEvent | null {
  const event = parseStreamEntry(id, fields);
  if (!event || typeof event.type !== 'string' || !UUID.test(String(event.tenantId))) return null;
  return { ...event, facilityId: event.facilityId && UUID.test(event.facilityId) ? event.facilityId : null };
}

/**
 * The body integrators receive: a thin, stable envelope. Details are fetched through the API with the
 * integrator's own credentials, so a delivery carries no more than the event itself.
 */
export function webhookBody(event: StreamEvent): string {
  return JSON.stringify({
    id: event.cursor,
    type: event.type,
    occurredAt: event.occurredAt,
    tenantId: event.tenantId,
    facilityId: event.facilityId ?? null,
    entityId: event.entityId,
    data: event.payload ?? {},
  });
}
