/**
 * The downstream-outage scenario's config: an HTTP intake channel whose one destination (the ERP
 * at `receiverUrl`) retries for ever behind a quick breaker. Shared by the chaos test and
 * bench/profile/outage.ts so both measure the same Loom.
 */
export function outageConfig(receiverUrl: string): string {
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: warn }
channels:
  - name: consumption
    source: inventory
    inbound: { kind: http }
    contentType: text
    destinations:
      - name: erp
        kind: http
        url: ${receiverUrl}/postings
        retry: { maxAttempts: 100000, backoff: { base: 50ms, max: 500ms } }
        breaker: { failures: 3, cooldown: 500ms }
`;
}
