#!/usr/bin/env node
// Starts a complete MTA-STS deployment for example.com on loopback (DNS, policy host with a test CA, two MX
// hosts, mx2's certificate expired) so `sts-pilot check` can be tried without the internet. Needs `npm run build`.
// Usage: node scripts/demo-deployment.mjs   (Ctrl-C to stop)
import { writeFileSync } from 'node:fs';
import { startFixtureDeployment } from '../dist/libs/sts-checker/src/testing/index.js';

const d = await startFixtureDeployment({
  domain: 'example.com',
  mx: [{ host: 'mx1.example.com' }, { host: 'mx2.example.com', cert: 'expired' }],
});
const caFile = '/tmp/sts-pilot-demo-ca.pem';
writeFileSync(caFile, d.ca.caCert);
const o = d.options;
console.log('Loopback deployment of example.com is up. Check it with:\n');
console.log(
  `  npx sts-pilot check example.com --dns-server ${o.dnsServers[0]} --ca-file ${caFile} --smtp-port ${o.smtpPort} --https-port ${o.httpsPort} --allow-private\n`,
);
process.on('SIGINT', () => d.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => d.stop().then(() => process.exit(0)));
