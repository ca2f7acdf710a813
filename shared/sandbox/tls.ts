// A throwaway certificate authority and server certificate for the local HTTPS stand-ins, made with openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TlsMaterial {
  /** The CA certificate clients must trust (PEM). */
  caPem: string;
  /** The server certificate, signed by the CA, valid for the hosts asked for (default localhost, 127.0.0.1) (PEM). */
  certPem: string;
  keyPem: string;
}

/** Generates a fresh CA and a server certificate for `hosts` (DNS names or IPv4 addresses). Both live two days. */
export function generateTls(hosts: string[] = ['localhost', '127.0.0.1']): TlsMaterial {
  const dir = mkdtempSync(path.join(tmpdir(), 'periscope-tls-'));
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`openssl ${args[0]} failed while generating the sandbox certificates: ${stderr.trim()}`, {
        cause: error,
      });
    }
  };
  const altNames = hosts.map((host) => (/^\d+\.\d+\.\d+\.\d+$/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  try {
    writeFileSync(
      path.join(dir, 'ca.cnf'),
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = ca',
        'prompt = no',
        '[dn]',
        'CN = Periscope sandbox CA',
        '[ca]',
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'server.ext'),
      [
        'basicConstraints = CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = serverAuth',
        `subjectAltName = ${altNames}`,
        '',
      ].join('\n'),
    );
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-config', 'ca.cnf', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2');
    openssl('req', '-new', ...ec, '-subj', `/CN=${hosts[0] ?? 'localhost'}`, '-keyout', 'server.key', '-out', 'server.csr');
    openssl(
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1',
      '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext',
    );
    const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
    return { caPem: read('ca.pem'), certPem: read('server.pem'), keyPem: read('server.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
