/**
 * What an uploaded file really is, from its first bytes (magic numbers), not from its name.
 * Allowed: PDF, PNG, JPEG, GIF, WebP, Office (docx/xlsx/pptx and legacy doc/xls/ppt), and text
 * (CSV, plain text, configuration exports): content that is valid UTF-8 without NUL bytes.
 * A name whose extension promises one kind while the content is another is refused too.
 */
import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

export interface SniffedType {
  /** The canonical extension of the detected type (pdf, xlsx, cfb, txt). */
  kind: string;
  mime: string;
}

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

const TEXT_MIME: Record<string, string> = { '.csv': 'text/csv', '.json': 'application/json', '.xml': 'application/xml' };

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
  const detected = await fileTypeFromBuffer(head);
  let type: SniffedType | null = null;
  if (detected && ALLOWED_BINARY[detected.ext]) {
    type = { kind: detected.ext, mime: ALLOWED_BINARY[detected.ext] };
  } else if (detected && detected.ext === 'xml') {
    type = { kind: 'xml', mime: 'application/xml' };
  } else if (!detected && size > 0 && isUtf8Text(head, size > head.length)) {
    type = { kind: 'txt', mime: TEXT_MIME[extension] ?? 'text/plain' };
  }
  if (!type) {
    const what = detected ? `${detected.ext}（${detected.mime}）` : size === 0 ? '空檔案' : '無法辨識的二進位檔';
    return {
      ok: false,
      detected: detected?.ext ?? null,
      message: `不接受此檔案類型：${fileName} 的內容是 ${what}。可上傳 PDF、圖片（PNG/JPEG/GIF/WebP）、Office 文件、CSV 或文字檔`,
      messageEn: `file type not accepted: ${fileName} contains ${detected ? `${detected.ext} (${detected.mime})` : size === 0 ? 'nothing' : 'unrecognised binary data'}; upload PDF, PNG/JPEG/GIF/WebP, Office, CSV or text`,
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
