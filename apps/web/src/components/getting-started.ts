/// <reference lib="dom" />
import { h } from '../dom.js';
import { sampleReport, swaksCommand, tlsRptRecord } from '../format.js';
import { copyBlock } from './copy-button.js';

/** What a new user does next: publish the TLS-RPT record, then prove the path with a test report. */
export function gettingStarted(domain: string | null): HTMLElement {
  const d = domain ?? 'example.com';
  const host = location.hostname || 'sts-pilot.example';
  const ruaInput = h('input', { id: `rua-${d}`, type: 'text', value: `tlsrpt@${host}`, autocomplete: 'off', spellcheck: 'false' });
  const records = h('div');
  const draw = () => {
    const rua = ruaInput.value.trim() || `tlsrpt@${host}`;
    records.replaceChildren(
      copyBlock('TLS-RPT DNS record', tlsRptRecord(d, rua)),
      h('p', {}, 'To check the whole path first, save this as ', h('code', {}, 'report.json'), ' and send it with swaks:'),
      copyBlock('test report', sampleReport(d, new Date().toISOString().slice(0, 10))),
      copyBlock('swaks command', swaksCommand({ to: rua, server: `${host}:25`, domain: d })),
    );
  };
  ruaInput.addEventListener('input', draw);
  draw();
  return h('section', { class: 'card getting-started', 'aria-labelledby': `gs-${d}` },
    h('h2', { id: `gs-${d}` }, domain ? `No reports for ${domain} yet` : 'No reports yet'),
    h('p', {}, 'This is not a sign of health: nothing has been measured. Senders such as Google and Microsoft mail a TLS report once a day to the address in your TLS-RPT record, so the first one arrives a day or two after you publish it.'),
    h('ol', {},
      h('li', {}, 'Publish the TLS-RPT record below in the DNS zone of ', h('strong', {}, d), '. The address must reach this server\u2019s SMTP listener (port 25).'),
      h('li', {}, 'Add the domain here so it gets a live MTA-STS check and rollout advice.'),
      h('li', {}, 'Wait for the first daily reports, or send the test report below now.')),
    h('label', { for: `rua-${d}` }, 'Report address (rua) that reaches this server'),
    ruaInput,
    records);
}
