import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4), as OWASP recommends at minimum. */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, { type: argon2id });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash never signs anyone in
    }
  }

  /** Spends the same time as a real check, so unknown emails cannot be told apart by timing. */
  async verifyNothing(password: string): Promise<false> {
    await verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }
}

const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$Inc+e/jGOCpoLssaMZO0+Q$jHULZ0yD0bnqgQtsgVMHvGJ7c1OUBHuqIlrlg5KzLfo';
