/** Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
    this.key = key;
  }
  /** From ANJIAN_SECRET_KEY (64 hex characters) or a key file created on first use (mode 0600). */
  static fromConfig(secretKeyHex: string | undefined, keyFile: string): SecretBox {
    if (secretKeyHex) {
      if (!/^[0-9a-fA-F]{64}$/.test(secretKeyHex)) {
        throw new Error('ANJIAN_SECRET_KEY must be 64 hexadecimal characters (32 bytes)');
      }
      return new SecretBox(Buffer.from(secretKeyHex, 'hex'));
    }
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    }
    return new SecretBox(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
  }
  static forTests(seed = 'test'): SecretBox {
    return new SecretBox(createHash('sha256').update(seed).digest());
  }
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
