import { describe, expect, it } from 'vitest';
import { isUtf8Text, sniffFileType } from './sniff-file-type.ts';

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

describe('sniffFileType', () => {
  it.each([
    ['report.pdf', pdf, true, 'application/pdf'],
    ['screen.png', png, true, 'image/png'],
    ['legacy.xls', ole, true, 'application/x-cfb'],
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

  it('allows a multi-byte character cut at the end of a truncated head, not in a whole file', () => {
    const cut = Buffer.from('資安', 'utf8').subarray(0, 4);
    expect(isUtf8Text(cut, true)).toBe(true);
    expect(isUtf8Text(cut, false)).toBe(false);
  });
});
