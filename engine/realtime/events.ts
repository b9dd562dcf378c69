// The Realtime event types live in core; transports and the service import them from here.
export * from '@core/realtime-events.ts';
