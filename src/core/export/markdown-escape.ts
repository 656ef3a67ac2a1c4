/**
 * Markdown escaping of input-derived text (the KPI report and the ticket summaries: src/core/export/report.ts,
 * src/core/export/markdown-summary.ts) and defanging of indicators. Pure text, no imports beyond text-safe (kept light:
 * the extension's analysis kinds bundle it).
 */
import { terminalSafe } from '../text-safe';

/**
 * Escapes a Markdown table cell (also used for list items and headings): backslash-escapes
 * `| * [ ] # + ~ \``, a `\` before ASCII punctuation or at the end (elsewhere a backslash is literal: a Windows path
 * reads the same raw and rendered), and a `_` that is not between two letters or digits (`(`, `)` and `!` need no escape once
 * `[` and `]` have one: a link or an image needs `](` or `![`; the raw report reads `(UTC)`, `true_positive`), HTML-escapes `< > &`, newlines → space, other control characters and
 * bidi overrides as the text `\u001b` ({@link terminalSafe}: a report is plain text that gets `cat` to a
 * terminal, and an account name with ESC … or U+202E drove it or reordered its row), and escapes a leading `-`, `=`
 * or ordered-list marker (`1.`), so that a value such as `---` can never become a thematic break, a
 * heading underline or a list after a list marker (CommonMark allows a backslash before any ASCII
 * punctuation). A URL in the text (a case title, a rule name, a host: attacker-controlled) is no GFM autolink: its
 * scheme is defanged as analysts write it in tickets, `http://` → `hxxp://`, `https://` → `hxxps://`, `ftp://` →
 * `fxp://`, and `www.` → `www[.]` (written `www\[.\]`), the rest of the text as it is; the `:` of any other `://` is
 * written `&#58;` (until trial 8 every `://` was `&#58;` and `www.` `www&#46;`, shown literally where a ticket
 * system does not render HTML). Nor is an e-mail address (`user@domain.com`, also after
 * `mailto:` / `xmpp:`): GFM's extended e-mail autolink is found in the text after escapes and character references
 * are decoded (cmark-gfm, GitHub's renderer, links `user\@domain.com` and `user&#64;domain.com` alike), so each run
 * of `@` is written as a code span, `` `@` ``, which splits the text there (rendered `user@domain.com`, the `@` in
 * code font; a raw report reads ``user`@`domain.com``).
 */
export function escapeMarkdownCell(s: unknown): string {
  return terminalSafe(String(s ?? '').replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A backslash only where it would escape what follows (ASCII punctuation, CommonMark 2.4) or end the text (a hard
    // line break at a line's end): `C:\Users\jdoe` is written as it is, so a path copied from the raw report is the path
    .replace(/\\(?=[!-/:-@[-`{-~]|$)/g, '\\\\')
    .replace(/([|*[\]#+~`])/g, '\\$1')
    // `_` only where it could open or close emphasis: a run between two letters or digits (`true_positive`,
    // `close_time`) cannot (CommonMark 0.31, 6.2), so it is left as it is and the raw report reads plainly
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/^(\s*)([-=])/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2') // `1.` and `1)` both start an ordered list (CommonMark 5.2)
    // GFM autolinks (`https://…`, `ftp://…`, `www.…`) start in the source text: defanged as analysts write them in
    // tickets, `hxxps://`, `fxp://`, `www[.]` (analyst trial 8: the character references `https&#58;//` and `www&#46;`
    // written before showed literally in ticket systems that do not render HTML); any other `scheme://` keeps `&#58;`
    // (no autolink in GFM, but a linkifier may take one). `mailto:` and `xmpp:` need an e-mail address, whose `@` is a
    // code span below
    .replace(/(?:https?|ftp)(?=:\/\/)/gi, (m) => m.replace(/t/g, 'x').replace(/T/g, 'X')) // (HTTP → HXXP)
    .replace(/(?<!hxxps?|fxp):(?=\/\/)/gi, '&#58;')
    .replace(/(www)\./gi, '$1\\[.\\]')
    // GFM e-mail autolinks are found after escapes and references are decoded: only another inline node (a code
    // span) between the local part and the domain stops them; a run of `@` is one span (`@``@` would be one code span `@``@`)
    .replace(/@+/g, '`$&`');
}

/**
 * Last labels of a dotted name that are file extensions, not top-level domains worth defanging (`PsExec.exe`,
 * `pwer.cs`, `conn.log`): {@link defangIocs} leaves such names as they are. Names that are both are left too (`.zip`,
 * `.mov`, `.sh`, `.py`); `.com` (also a DOS program) and `.pl`, `.rs` (also Perl, Rust) are taken as domains.
 */
const FILE_EXTENSIONS = new Set(
  ('exe dll sys bat cmd ps1 psm1 vbs js jse hta scr cpl msi lnk jar war class py rb sh so cs cpp h c go php asp aspx jsp ' +
    'txt log csv tsv json jsonl ndjson xml yml yaml ini cfg conf db dat tmp bak old wer gz zip rar 7z tar tgz iso img vhd vhdx ' +
    'doc docx xls xlsx xlsm ppt pptx pdf rtf md html htm png jpg jpeg gif bmp ico svg mp3 mp4 mov avi pcap evtx yar yara etl').split(' '),
);

/**
 * A dotted name as {@link defangIocs} defangs it: labels (group 1, each with its dot) and the last label (group 2).
 * A label is letters and digits of any script (an internationalised name as written, `bücher.de`, or a homoglyph of
 * a known name in Cyrillic letters), `_` (DNS names: `_dmarc.evil.com`; browsers accept it in host names) and inner
 * `-`; a label ends at a full stop or one of the dots browsers read as one (U+3002, U+FF0E, U+FF61: `evil。com`
 * opens evil.com). Not after a letter, digit, `_`, `-`, `.` or a single `\` (a Windows path component); after `\\`
 * it is a UNC host (`\\evil.com\share`). Each of these was left as it was: the part after a `_` or a non-ASCII
 * letter could not start a name, and no name could start after a backslash.
 */
const DOMAIN_NAME =
  /(?<![\p{L}\p{N}\p{M}_.\u3002\uff0e\uff61-])(?<!(?:^|[^\\])\\)((?:[\p{L}\p{N}_](?:[\p{L}\p{N}\p{M}_-]{0,61}[\p{L}\p{N}\p{M}_])?[.\u3002\uff0e\uff61])+)(\p{L}[\p{L}\p{N}\p{M}-]{0,22}[\p{L}\p{N}\p{M}])(?![\p{L}\p{N}\p{M}_-]|[.\u3002\uff0e\uff61][\p{L}\p{N}])/giu;

/**
 * Defangs indicators in a text for tickets (a reader cannot click or resolve them by accident; the usual SOC form):
 * URL schemes `http`/`https`/`ftp` → `hxxp`/`hxxps`/`fxp`; an IPv4 address's last dot → `[.]` (`10.0.0[.]1`); a
 * host or domain name's last dot → `[.]` (`evil[.]com`, `hxxp://www.evil[.]com/a.php`, `user@evil[.]com`; also
 * `a_b.evil[.]com`, `bücher[.]de`, `\\evil[.]com\share`, `evil[。]com`: {@link DOMAIN_NAME}). A dotted name whose last
 * label is a file extension ({@link FILE_EXTENSIONS}: `PsExec.exe`) or that follows a single `\` (a Windows path
 * component) is left as it is; so are IPv6 addresses (no dots). Plain text in, plain text out: escape it for
 * Markdown afterwards ({@link escapeMarkdownCell}, which writes `[.]` as `\[.\]`, read as `[.]`).
 */
export function defangIocs(s: string): string {
  return s
    .replace(/\b(h)tt(ps?)(?=:\/\/)|\b(f)t(p)(?=:\/\/)/gi, (_m, h, ps, f, p) => (h ? `${h}xx${ps}` : `${f}x${p}`))
    .replace(/(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g, '$1[.]$2')
    .replace(DOMAIN_NAME, (m, labels: string, last: string) => (FILE_EXTENSIONS.has(last.toLowerCase()) ? m : `${labels.slice(0, -1)}[${labels.slice(-1)}]${last}`));
}
