// Test-only helpers (not exported from the library's index): test CA, DNS zone, policy host, MX hosts.
export * from './deployment.js';
export * from './dns-fixture.js';
export * from './https-fixture.js';
export * from './smtp-fixture.js';
export * from './test-ca.js';
