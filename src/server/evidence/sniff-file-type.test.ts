import { describe, expect, it } from 'vitest';
import { detectLegacyText, isUtf8Text, sniffFileType } from './sniff-file-type.ts';

const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const exe = (() => {
  const buffer = Buffer.alloc(512);
  buffer.write('MZ');
  buffer.writeUInt32LE(0x80, 0x3c);
  buffer.write('PE\0\0', 0x80, 'binary');
  return buffer;
})();
const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
/** 帳號,姓名 / admin,管理員 as Excel on zh-TW Windows saves a CSV (Big5). */
const big5Csv = Buffer.from([0xb1, 0x62, 0xb8, 0xb9, 0x2c, 0xa9, 0x6d, 0xa6, 0x57, 0x0d, 0x0a, 0x61, 0x64, 0x6d, 0x69, 0x6e, 0x2c, 0xba, 0xde, 0xb2, 0x7a, 0xad, 0xfb, 0x0d, 0x0a]);
const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('帳號\t姓名\r\nadmin\t管理員\r\n', 'utf16le')]);
const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('帳號,姓名\r\n', 'utf16le').swap16()]);

describe('sniffFileType', () => {
  it.each([
    ['report.pdf', pdf, true, 'application/pdf'],
    ['screen.png', png, true, 'image/png'],
    ['legacy.xls', ole, true, 'application/vnd.ms-excel'],
    ['minutes.doc', ole, true, 'application/msword'],
    ['deck.ppt', ole, true, 'application/vnd.ms-powerpoint'],
    ['審查通知.msg', ole, true, 'application/vnd.ms-outlook'],
    ['setup.msi', ole, false, null],
    ['tool.exe', ole, false, null],
    ['report.pdf', ole, false, null],
    ['accounts-big5.csv', big5Csv, true, 'text/csv; charset=big5'],
    ['accounts-big5.txt', big5Csv, true, 'text/plain; charset=big5'],
    ['accounts-unicode.txt', utf16le, true, 'text/plain; charset=utf-16le'],
    ['accounts-be.csv', utf16be, true, 'text/csv; charset=utf-16be'],
    ['accounts.bin', big5Csv, false, null],
    ['accounts.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]), false, null],
    ['accounts.csv', Buffer.from('帳號,姓名\nadmin,管理員\n'), true, 'text/csv'],
    ['running-config', Buffer.from('hostname fw1\ninterface Gi0/1\n'), true, 'text/plain'],
    ['report.pdf', exe, false, null],
    ['tool.exe', exe, false, null],
    ['report.pdf', png, false, null],
    ['notes.txt', Buffer.from([0x61, 0x00, 0x62]), false, null],
    ['empty.txt', Buffer.alloc(0), false, null],
  ])('%s', async (name, content, isAccepted, mime) => {
    const outcome = await sniffFileType(new Uint8Array(content), name, content.length);
    expect(outcome.ok).toBe(isAccepted);
    if (outcome.ok) expect(outcome.type.mime).toBe(mime);
  });

  it('names the file and the detected OLE container when refusing an installer', async () => {
    const outcome = await sniffFileType(new Uint8Array(ole), 'setup.msi', ole.length);
    expect(outcome).toMatchObject({ ok: false, detected: 'cfb' });
    if (!outcome.ok) {
      expect(outcome.message).toContain('setup.msi');
      expect(outcome.message).toContain('OLE');
      expect(outcome.messageEn).toContain('setup.msi');
      expect(outcome.messageEn).toContain('cfb');
    }
  });

  it('records the encoding of accepted text', async () => {
    const utf8 = Buffer.from('帳號,姓名\n');
    expect((await sniffFileType(new Uint8Array(utf8), 'a.csv', utf8.length))).toMatchObject({ ok: true, type: { encoding: 'utf-8', mime: 'text/csv' } });
    expect((await sniffFileType(new Uint8Array(big5Csv), 'a.csv', big5Csv.length))).toMatchObject({ ok: true, type: { encoding: 'big5' } });
    expect((await sniffFileType(new Uint8Array(utf16le), 'a.csv', utf16le.length))).toMatchObject({ ok: true, type: { encoding: 'utf-16le' } });
  });

  it('refuses binary data that happens to be valid Big5 byte pairs but holds control characters', () => {
    expect(detectLegacyText(new Uint8Array([0xb1, 0x62, 0x01, 0x02, 0xa4, 0x40]), false)).toBeNull();
    expect(detectLegacyText(new Uint8Array([0xb1, 0x62, 0xa4]), false)).toBeNull();
  });

  it('allows a Big5 or UTF-16 character cut at the end of a truncated head', () => {
    expect(detectLegacyText(new Uint8Array(big5Csv.subarray(0, 3)), true)).toBe('big5');
    expect(detectLegacyText(new Uint8Array(utf16le.subarray(0, 5)), true)).toBe('utf-16le');
    expect(detectLegacyText(new Uint8Array(utf16le.subarray(0, 5)), false)).toBeNull();
  });

  it('allows a multi-byte character cut at the end of a truncated head, not in a whole file', () => {
    const cut = Buffer.from('資安', 'utf8').subarray(0, 4);
    expect(isUtf8Text(cut, true)).toBe(true);
    expect(isUtf8Text(cut, false)).toBe(false);
  });
});
