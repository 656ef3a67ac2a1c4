/**
 * Test-time X.509 certificates for the mock QRadar HTTPS server, built with node:crypto only (no
 * openssl binary, no npm package): P-256 keys, a DER encoder for the few ASN.1 types an X.509 v3
 * certificate needs (RFC 5280 §4.1), ECDSA-with-SHA256 signatures (RFC 5758 §3.2).
 *
 * `makePki()` returns a CA, a server certificate for `IP:127.0.0.1` / `DNS:localhost` signed by the
 * CA, an **expired** server certificate signed by the same CA, and a second, unrelated CA (for the
 * "unknown CA" case). Nothing here is used outside tests.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

// ---------------------------------------------------------------- DER (X.690)

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(content.length), content]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const ctx = (n: number, content: Buffer) => tlv(0xa0 + n, content); // [n] EXPLICIT, constructed
function int(v: Buffer | number): Buffer {
  let b = typeof v === 'number' ? Buffer.from([v]) : v;
  while (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const n of p.slice(2)) {
    const stack = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (b: boolean) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
function time(ms: number): Buffer {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y < 2050 ? tlv(0x17, Buffer.from(`${String(y % 100).padStart(2, '0')}${body}`)) : tlv(0x18, Buffer.from(`${y}${body}`));
}

const OID = {
  ecdsaSha256: '1.2.840.10045.4.3.2',
  cn: '2.5.4.3',
  org: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  san: '2.5.29.17',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const name = (cn: string) => seq(set(seq(oid(OID.org), utf8('SOC Analytics tests'))), set(seq(oid(OID.cn), utf8(cn))));
const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface Issued {
  key: KeyObject;
  keyPem: string;
  certPem: string;
  /** SHA-1 of the public key (subject key identifier). */
  keyId: Buffer;
  subject: Buffer;
}

function keyIdOf(pub: KeyObject): Buffer {
  return createHash('sha1').update(pub.export({ type: 'spki', format: 'der' })).digest();
}

/**
 * Issues one certificate. `issuer` undefined → self-signed. `ca` → basicConstraints CA:TRUE and
 * keyCertSign; otherwise a TLS server certificate with SANs `IP:127.0.0.1`, `IP:127.0.0.3` (a loopback address VS Code does not treat as localhost; 127.0.0.2 stays another host for the TLS advice test), `IP:::1`, `DNS:localhost`.
 */
export function issue(cn: string, opts: { ca: boolean; notBefore: number; notAfter: number; issuer?: Issued }): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const subject = name(cn);
  const keyId = keyIdOf(publicKey);
  const signer = opts.issuer ?? { key: privateKey, keyId, subject };
  const exts: Buffer[] = [
    ext(OID.basicConstraints, true, opts.ca ? seq(bool(true)) : seq()),
    // keyUsage bits: digitalSignature(0) | keyCertSign(5) | cRLSign(6)
    ext(OID.keyUsage, true, opts.ca ? tlv(0x03, Buffer.from([1, 0x06])) : tlv(0x03, Buffer.from([7, 0x80]))),
    ext(OID.ski, false, octets(keyId)),
    ext(OID.aki, false, seq(tlv(0x80, signer.keyId))),
  ];
  if (!opts.ca) {
    exts.push(ext(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    exts.push(ext(OID.san, false, seq(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x87, Buffer.from([127, 0, 0, 3])), tlv(0x87, Buffer.alloc(16, 0).fill(1, 15)), tlv(0x82, Buffer.from('localhost')))));
  }
  const sigAlg = seq(oid(OID.ecdsaSha256));
  const tbs = seq(
    ctx(0, int(2)),
    int(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    sigAlg,
    signer.subject,
    seq(time(opts.notBefore), time(opts.notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    ctx(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, signer.key);
  const der = seq(tbs, sigAlg, bits(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  new X509Certificate(certPem); // throws if the encoding is wrong
  return { key: privateKey, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem, keyId, subject };
}

export interface TestPki {
  ca: Issued;
  server: Issued;
  expired: Issued;
  otherCa: Issued;
}

/** A fresh CA, a valid and an expired server certificate for 127.0.0.1 signed by it, and an unrelated CA. */
export function makePki(): TestPki {
  const day = 86_400_000;
  const now = Date.now();
  const ca = issue('SOC Analytics test CA', { ca: true, notBefore: now - day, notAfter: now + 30 * day });
  const server = issue('127.0.0.1', { ca: false, notBefore: now - day, notAfter: now + 30 * day, issuer: ca });
  const expired = issue('127.0.0.1', { ca: false, notBefore: now - 30 * day, notAfter: now - 2 * day, issuer: ca });
  const otherCa = issue('Unrelated test CA', { ca: true, notBefore: now - day, notAfter: now + 30 * day });
  return { ca, server, expired, otherCa };
}
