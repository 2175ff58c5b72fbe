// Reconnect delays.

/**
 * Full-jitter exponential backoff: a random delay in [0, min(maxMs, baseMs * 2^attempt)).
 * `attempt` counts from 0 for the first retry.
 */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 30000 } = {}, random = Math.random) {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(random() * cap);
}
