/** How deliveries are retried and when an endpoint is given up on; set by the API's config. */
export interface WebhookPolicy {
  /** Private and loopback targets may be reached (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** A delivery is retried for this long, then recorded failed. */
  givesUpAfterMs: number;
  /** An endpoint whose every attempt has failed for this long is disabled. */
  disableAfterMs: number;
  /** Deliveries of one tenant in flight at once; the rest wait, pending, in Postgres. */
  maxInFlightPerTenant: number;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  policy: WebhookPolicy;
}

/** The failure type after which a delivery is not retried: its webhook is gone or disabled. */
export const WEBHOOK_STOPPED = 'WebhookStopped';

/** Seconds, as the configuration gives them. */
export const WEBHOOK_DEFAULTS = {
  WEBHOOK_RETRY_INITIAL_SECONDS: 5,
  WEBHOOK_RETRY_MAX_SECONDS: 3_600,
  WEBHOOK_GIVE_UP_SECONDS: 86_400,
  WEBHOOK_DISABLE_AFTER_SECONDS: 86_400,
} as const;

/** Deliveries one tenant may have in flight when WEBHOOK_MAX_IN_FLIGHT_PER_TENANT is unset. */
export const WEBHOOK_MAX_IN_FLIGHT_DEFAULT = 16;

export type WebhookSettings = {
  WEBHOOK_ALLOW_PRIVATE: boolean;
  WEBHOOK_MAX_IN_FLIGHT_PER_TENANT: number;
} & {
  [K in keyof typeof WEBHOOK_DEFAULTS]: number;
};

export function webhookPolicy(settings: Partial<WebhookSettings>): WebhookPolicy {
  const seconds = (key: keyof typeof WEBHOOK_DEFAULTS) =>
    (settings[key] ?? WEBHOOK_DEFAULTS[key]) * 1000;
  return {
    allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE ?? false,
    initialIntervalMs: seconds('WEBHOOK_RETRY_INITIAL_SECONDS'),
    maximumIntervalMs: seconds('WEBHOOK_RETRY_MAX_SECONDS'),
    givesUpAfterMs: seconds('WEBHOOK_GIVE_UP_SECONDS'),
    disableAfterMs: seconds('WEBHOOK_DISABLE_AFTER_SECONDS'),
    maxInFlightPerTenant:
      settings.WEBHOOK_MAX_IN_FLIGHT_PER_TENANT ?? WEBHOOK_MAX_IN_FLIGHT_DEFAULT,
  };
}
