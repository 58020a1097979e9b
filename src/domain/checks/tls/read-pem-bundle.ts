import './install-reflect-metadata.ts';
import { X509Certificate } from '@peculiar/x509';
import { CheckInputError } from '../types.ts';

/**
 * Certificates of a PEM bundle, in file order, as DER. Text outside the blocks (comments, `subject=`
 * lines from openssl) is ignored; a block that does not close or does not decode is an input error at
 * its BEGIN line.
 */
export function readPemBundle(file: string, text: string): Uint8Array[] {
  const lines = text.split(/\r?\n/);
  const certificates: Uint8Array[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^-----BEGIN (TRUSTED )?CERTIFICATE-----\s*$/.test(lines[index].trim())) {
      continue;
    }
    const begin = index + 1;
    const body: string[] = [];
    index += 1;
    while (index < lines.length && !/^-----END (TRUSTED )?CERTIFICATE-----\s*$/.test(lines[index].trim())) {
      body.push(lines[index].trim());
      index += 1;
    }
    if (index >= lines.length) {
      throw new CheckInputError('PEM 區塊未結束 / PEM block is not closed', file, begin);
    }
    const base64 = body.join('');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
      throw new CheckInputError('PEM 內容不是 base64 / PEM body is not base64', file, begin);
    }
    const der = new Uint8Array(Buffer.from(base64, 'base64'));
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new CheckInputError(`無法解析憑證 / cannot parse certificate: ${(error as Error).message}`, file, begin);
    }
    certificates.push(der);
  }
  if (certificates.length === 0) {
    throw new CheckInputError('找不到 PEM 憑證 / no PEM certificate found', file, 1);
  }
  return certificates;
}
