/**
 * What an uploaded file really is, from its first bytes (magic numbers), not from its name.
 * Allowed: PDF, PNG, JPEG, GIF, WebP, Office (docx/xlsx/pptx and legacy doc/xls/ppt), Outlook
 * messages (.msg), and text (CSV, plain text, configuration exports): content that is valid UTF-8
 * without NUL bytes; under a text extension (.csv, .txt, …) also UTF-16 with a byte-order mark (what
 * Excel's "Unicode text" writes) and Big5 (what Excel on zh-TW Windows saves a CSV as). An OLE
 * compound file (the container of .doc/.xls/.ppt/.msg, but also of .msi installers) is accepted only
 * under those four extensions. A name whose extension promises one kind while the content is
 * another is refused too.
 */
import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

export interface SniffedType {
  /** The canonical extension of the detected type (pdf, xlsx, cfb, txt). */
  kind: string;
  /** For text other than UTF-8, with its charset (`text/csv; charset=big5`), so downloads decode right. */
  mime: string;
  /** The character encoding of text. */
  encoding?: TextEncoding;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'big5';

export type SniffOutcome = { ok: true; type: SniffedType } | { ok: false; message: string; messageEn: string; detected: string | null };

const ALLOWED_BINARY: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  // Legacy .doc/.xls/.ppt are OLE compound files; file-type names the container.
  cfb: 'application/x-cfb',
};

/** The detected kinds an extension may carry; extensions not listed here are checked by content only. */
const EXTENSION_KINDS: Record<string, string[]> = {
  '.pdf': ['pdf'],
  '.png': ['png'],
  '.jpg': ['jpg'],
  '.jpeg': ['jpg'],
  '.gif': ['gif'],
  '.webp': ['webp'],
  '.docx': ['docx'],
  '.xlsx': ['xlsx'],
  '.pptx': ['pptx'],
  '.doc': ['cfb'],
  '.xls': ['cfb'],
  '.ppt': ['cfb'],
  '.msg': ['cfb'],
  '.csv': ['txt'],
  '.txt': ['txt'],
  '.log': ['txt'],
  '.conf': ['txt'],
  '.cfg': ['txt'],
  '.json': ['txt'],
  '.xml': ['txt', 'xml'],
  '.yaml': ['txt'],
  '.yml': ['txt'],
  '.ini': ['txt'],
};

/** The only extensions an OLE compound file may carry (not .msi installers and the like). */
const OLE_EXTENSIONS = new Set(['.doc', '.xls', '.ppt', '.msg']);
const OLE_MIME: Record<string, string> = {
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.msg': 'application/vnd.ms-outlook',
};

/** Extensions whose content is text, and so may also be UTF-16 (with BOM) or Big5. */
const TEXT_EXTENSIONS = new Set(Object.entries(EXTENSION_KINDS).filter(([, kinds]) => kinds.includes('txt')).map(([extension]) => extension).concat(['.md', '.tsv']));

const TEXT_MIME: Record<string, string> = { '.csv': 'text/csv', '.tsv': 'text/tab-separated-values', '.json': 'application/json', '.xml': 'application/xml', '.md': 'text/markdown' };

/** C0 control characters other than tab, line feed, form feed, carriage return and the DOS end-of-file mark. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000e-\u0019\u001b-\u001f]/;

/**
 * True when `head` decodes strictly in `encoding` to text without control characters. When
 * `isTruncated`, up to `maxCut` trailing bytes of a character cut off at the end are allowed.
 */
function decodesAsText(head: Uint8Array, encoding: 'utf-16le' | 'utf-16be' | 'big5', isTruncated: boolean): boolean {
  const attempts = isTruncated ? [0, 1, 2, 3] : [0];
  for (const cut of attempts) {
    if (cut > head.length) break;
    const body = head.subarray(0, head.length - cut);
    if (encoding !== 'big5' && body.length % 2 !== 0) continue;
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(body);
    } catch {
      continue;
    }
    return !CONTROL_CHARACTER.test(text);
  }
  return false;
}

/** The encoding of text under a text extension that is not UTF-8: UTF-16 with its BOM, or Big5. */
export function detectLegacyText(head: Uint8Array, isTruncated: boolean): TextEncoding | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return decodesAsText(head, 'utf-16le', isTruncated) ? 'utf-16le' : null;
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return decodesAsText(head, 'utf-16be', isTruncated) ? 'utf-16be' : null;
  if (head.includes(0)) return null;
  return decodesAsText(head, 'big5', isTruncated) ? 'big5' : null;
}

/**
 * True when `head` is UTF-8 without NUL bytes. When `isTruncated`, a multi-byte character cut off
 * at the end of the head is allowed.
 */
export function isUtf8Text(head: Uint8Array, isTruncated: boolean): boolean {
  if (head.includes(0)) {
    return false;
  }
  let end = head.length;
  if (isTruncated) {
    // Step back over a trailing, possibly incomplete, multi-byte sequence (at most 3 bytes).
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xc0) === 0x80) back += 1;
    if (end - back - 1 >= 0 && head[end - back - 1] >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Sniffs `head` (the first bytes of the file; `size` is the whole file's size). */
export async function sniffFileType(head: Uint8Array, fileName: string, size: number): Promise<SniffOutcome> {
  const extension = extname(fileName).toLowerCase();
  const isTruncated = size > head.length;
  const hasUtf16Bom = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  // file-type reads some UTF-16 text as audio (the BOM looks like an MPEG frame), so text comes first.
  if (TEXT_EXTENSIONS.has(extension) && hasUtf16Bom) {
    const encoding = detectLegacyText(head, isTruncated);
    if (encoding) return { ok: true, type: { kind: 'txt', mime: `${TEXT_MIME[extension] ?? 'text/plain'}; charset=${encoding}`, encoding } };
  }
  const detected = await fileTypeFromBuffer(head);
  if (detected?.ext === 'cfb' && !OLE_EXTENSIONS.has(extension)) {
    return {
      ok: false,
      detected: 'cfb',
      message: `不接受此檔案類型：${fileName} 的內容是 OLE 複合文件（${extension || '無副檔名'}，例如安裝程式 .msi）；此格式只接受 .doc、.xls、.ppt 與 Outlook 郵件 .msg`,
      messageEn: `file type not accepted: ${fileName} is an OLE compound file (cfb) named ${extension || 'without an extension'}; this container is accepted only as .doc, .xls, .ppt or .msg (Outlook message)`,
    };
  }
  let type: SniffedType | null = null;
  if (detected?.ext === 'cfb') {
    type = { kind: 'cfb', mime: OLE_MIME[extension] };
  } else if (detected && ALLOWED_BINARY[detected.ext]) {
    type = { kind: detected.ext, mime: ALLOWED_BINARY[detected.ext] };
  } else if (detected && detected.ext === 'xml') {
    type = { kind: 'xml', mime: 'application/xml' };
  } else if (!detected && size > 0 && isUtf8Text(head, isTruncated)) {
    type = { kind: 'txt', mime: TEXT_MIME[extension] ?? 'text/plain', encoding: 'utf-8' };
  } else if (!detected && size > 0 && TEXT_EXTENSIONS.has(extension) && detectLegacyText(head, isTruncated) === 'big5') {
    type = { kind: 'txt', mime: `${TEXT_MIME[extension] ?? 'text/plain'}; charset=big5`, encoding: 'big5' };
  }
  if (!type) {
    const what = detected ? `${detected.ext}（${detected.mime}）` : size === 0 ? '空檔案' : '無法辨識的二進位檔';
    return {
      ok: false,
      detected: detected?.ext ?? null,
      message: `不接受此檔案類型：${fileName} 的內容是 ${what}。可上傳 PDF、圖片（PNG/JPEG/GIF/WebP）、Office 文件、Outlook 郵件、CSV 或文字檔（UTF-8、UTF-16 或 Big5）`,
      messageEn: `file type not accepted: ${fileName} contains ${detected ? `${detected.ext} (${detected.mime})` : size === 0 ? 'nothing' : 'unrecognised binary data'}; upload PDF, PNG/JPEG/GIF/WebP, Office, Outlook .msg, CSV or text (UTF-8, UTF-16 or Big5)`,
    };
  }
  const expected = EXTENSION_KINDS[extension];
  if (expected && !expected.includes(type.kind)) {
    return {
      ok: false,
      detected: type.kind,
      message: `檔案內容與副檔名不符：${fileName} 的內容是 ${type.kind}，不是 ${extension}`,
      messageEn: `file content does not match its name: ${fileName} contains ${type.kind}, not ${extension}`,
    };
  }
  return { ok: true, type };
}
