/** A domain event as read from the stream (kit/events envelope); `id` is its stream cursor. */
export interface StreamedEvent {
  id: string;
  type: string;
  tenantId: string;
  facilityId?: string | null;
  entityId: string;
  occurredAt: string;
  payload?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads one stream entry's fields (`event`, JSON); null for anything that is not an event. */
export function parseStreamEntry(id: string, fields: string[] | null): StreamedEvent | null {
  const index = fields?.indexOf('event') ?? -1;
  if (!fields || index < 0) return null;
  try {
    const event = JSON.parse(fields[index + 1]!) as Omit<StreamedEvent, 'id'>;
    // Only events a tenant's endpoints could match (a malformed one would otherwise fail forever).
    if (typeof event.type !== 'string' || !UUID.test(String(event.tenantId))) return null;
    return { ...event, facilityId: event.facilityId && UUID.test(event.facilityId) ? event.facilityId : null, id };
  } catch {
    return null;
  }
}

/**
 * The body integrators receive: a thin, stable envelope. Details are fetched through the API with the
 * integrator's own credentials, so a delivery carries no more than the event itself.
 */
export function webhookBody(event: StreamedEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    tenantId: event.tenantId,
    facilityId: event.facilityId ?? null,
    entityId: event.entityId,
    data: event.payload ?? {},
  });
}
