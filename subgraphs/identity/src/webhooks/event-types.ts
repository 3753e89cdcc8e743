import { EVENT_TYPES } from '@pathway/kit';

/** The event types an endpoint may subscribe to: every type a subgraph publishes (the kit's event catalog). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES;
