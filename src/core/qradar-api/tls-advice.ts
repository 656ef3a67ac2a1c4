/**
 * What to do about a TLS failure of a QRadar API request (self-signed certificate, private CA, expired, another host
 * name): one text for the CLI (`qradar-fetch`, `qradar-count`: options `--ca`, `--insecure`, `--url`) and the
 * extension (settings socAnalytics.qradar.caCertificateFile, allowInsecureTls, consoleUrl), naming what the caller
 * offers ({@link TlsAdviceNames}). Verification is never turned off by default: the advice puts the CA file first and
 * names turning verification off only as a last resort, with its risk. Pure: no vscode, no I/O.
 */
import { QRadarApiError } from './errors';

/** How the advice names the CA file, the console URL and turning verification off (CLI options or settings). */
export interface TlsAdviceNames {
  /** How to give a CA file, after "give that CA (PEM)": `with --ca <file>`. */
  giveCa: string;
  /** The CA file given, as a subject: `the --ca file`. */
  caGiven: string;
  /** Where the console URL is set: `--url`. */
  url: string;
  /** What turns verification off, as a subject: `--insecure`. */
  insecure: string;
  /** When verification is off, after "Certificates are verified unless": `--insecure is given`. */
  insecureWhen: string;
}

/** The CLI's names (`qradar-fetch`, `qradar-count`). */
export const CLI_TLS_NAMES: TlsAdviceNames = { giveCa: 'with --ca <file>', caGiven: 'the --ca file', url: '--url', insecure: '--insecure', insecureWhen: '--insecure is given' };

/** The extension's setting ids: the CA file, the insecure switch and the console URL (package.json). */
export const QRADAR_TLS_SETTINGS = {
  caFile: 'socAnalytics.qradar.caCertificateFile',
  insecure: 'socAnalytics.qradar.allowInsecureTls',
  url: 'socAnalytics.qradar.consoleUrl',
} as const;

/** The extension's names: its settings ({@link QRADAR_TLS_SETTINGS}). */
export const SETTINGS_TLS_NAMES: TlsAdviceNames = {
  giveCa: `as a PEM file in the setting ${QRADAR_TLS_SETTINGS.caFile}`,
  caGiven: `the CA file of ${QRADAR_TLS_SETTINGS.caFile}`,
  url: `the setting ${QRADAR_TLS_SETTINGS.url}`,
  insecure: `the setting ${QRADAR_TLS_SETTINGS.insecure}`,
  insecureWhen: `${QRADAR_TLS_SETTINGS.insecure} is on`,
};

/** Node TLS codes of a certificate that is its own issuer (a console's default self-signed certificate). */
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
/** Node TLS codes of a certificate whose issuer is not trusted (a private CA). */
const UNKNOWN_ISSUER = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'INVALID_CA', 'CERT_SIGNATURE_FAILURE']);
/** Node TLS codes of a certificate for another host name. */
const OTHER_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** What a TLS advice is about (which setting or option fixes it): `ca` (the CA file), `url` (another host name), `clock` (dates). */
export type TlsAdviceTopic = 'ca' | 'url' | 'clock';

/**
 * The topic of a TLS error ({@link TlsAdviceTopic}; the extension's *Open Settings* button opens that setting), or
 * undefined for an error that is not a TLS one ({@link QRadarApiError} kind `tls`).
 */
export function tlsAdviceTopic(e: unknown): TlsAdviceTopic | undefined {
  if (!(e instanceof QRadarApiError) || e.kind !== 'tls') return undefined;
  const code = e.details.errno ?? '';
  return OTHER_NAME.has(code) ? 'url' : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID' ? 'clock' : 'ca';
}

/**
 * The extension setting that fixes a TLS error ({@link tlsAdviceTopic}), opened by its *Open Settings* button:
 * {@link QRADAR_TLS_SETTINGS}`.url` for a certificate of another host name, else the CA file setting.
 */
export function tlsSettingToOpen(e: unknown): string {
  return tlsAdviceTopic(e) === 'url' ? QRADAR_TLS_SETTINGS.url : QRADAR_TLS_SETTINGS.caFile;
}

/**
 * What to do about a TLS error (a {@link QRadarApiError} of kind `tls`; its Node code in `details.errno`), as one
 * sentence without a prefix, e.g. `the console's certificate is self-signed (a QRadar console's default): give that
 * certificate (PEM; …) with --ca <file>; as a last resort, --insecure skips the verification (…). Certificates are
 * verified unless --insecure is given.` Empty for any other error.
 * @param e the error of the request.
 * @param caGiven a CA file was given (and the certificate still did not verify with it): the advice says so.
 * @param names the options or settings to name ({@link CLI_TLS_NAMES}, {@link SETTINGS_TLS_NAMES}).
 */
export function tlsAdviceText(e: unknown, caGiven: boolean, names: TlsAdviceNames): string {
  if (!(e instanceof QRadarApiError) || e.kind !== 'tls') return '';
  const code = e.details.errno ?? '';
  const insecure = `as a last resort, ${names.insecure} skips the verification (the token could then reach an impostor: only on a network you trust, for a test console)`;
  let what: string;
  if (SELF_SIGNED.has(code)) {
    what = caGiven
      ? `the console's certificate is self-signed and still did not verify with ${names.caGiven} (it does not hold that certificate): give the console's own certificate (PEM) ${names.giveCa}`
      : `the console's certificate is self-signed (a QRadar console's default): give that certificate (PEM; e.g. from openssl s_client -showcerts -connect <console>:443) ${names.giveCa}`;
  } else if (UNKNOWN_ISSUER.has(code)) {
    what = caGiven
      ? `the console's certificate still did not verify with ${names.caGiven} (it does not hold the CA that signed the certificate): give that CA (PEM) ${names.giveCa}`
      : `the console's certificate is signed by a CA this system does not trust (a private CA): give that CA certificate (PEM) ${names.giveCa}`;
  } else if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    what = `the console's certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (check this computer's clock; the console's administrator renews it)`;
  } else if (OTHER_NAME.has(code)) {
    what = `the console's certificate is for another name: give ${names.url} with a host name the certificate names`;
  } else {
    what = `the TLS connection to the console could not be verified${caGiven ? ` (also with ${names.caGiven})` : ''}: check ${names.url} (https://) and, for a private CA, give it ${names.giveCa}`;
  }
  return `${what}; ${insecure}. Certificates are verified unless ${names.insecureWhen}.`;
}
