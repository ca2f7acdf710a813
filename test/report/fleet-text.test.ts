// The fleet views as text: CSV escaping (RFC 4180 and formula injection) and the terminal escaping of the table.
import { describe, expect, it } from 'vitest';
import type { FleetFindingsResult } from '../../shared/model/fleet.ts';
import { csvField, renderFindingsCsv, renderFindingsTable } from '../../shared/report/fleet-text.ts';

const result: FleetFindingsResult = {
  query: { status: 'open' },
  errors: [],
  findings: [
    {
      clusterId: 'kubeconfig:a', clusterName: 'a\u001b[31m', fingerprint: '0'.repeat(32), ruleId: 'privileged-container', severity: 'critical',
      status: 'OPEN', namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', message: 'runs "privileged", as root\nreally',
      frameworks: ['owasp-k8s-2022:K01'], firstSeenAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-01-02T00:00:00Z', changedAt: '2026-01-01T00:00:00Z',
    },
  ],
};

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(false)).toBe('false');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=HYPERLINK("x"),y')).toBe('"\'=HYPERLINK(""x""),y"');
  });
});

describe('findings text', () => {
  it('CSV rows end in CRLF and keep a message with quotes, a comma and a line break in one field', () => {
    const lines = renderFindingsCsv(result).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',"runs ""privileged"", as root\nreally",owasp-k8s-2022:K01,');
  });

  it('the table escapes terminal control characters in names from the store', () => {
    const text = renderFindingsTable(result);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('a\\u001b[31m');
    expect(text).toMatch(/1 open finding on 1 cluster\.\n$/);
  });
});
