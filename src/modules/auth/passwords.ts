import { hash, verify } from '@node-rs/argon2';
import { passwordHashCost } from '../../platform/config.js';

/** OWASP-recommended argon2id parameters (19 MiB, 2 passes, 1 lane); tests may ask for the cheapest ones. */
const STRENGTHS = { owasp: { memoryCost: 19456, timeCost: 2, parallelism: 1 }, test: { memoryCost: 256, timeCost: 1, parallelism: 1 } } as const;
let options: (typeof STRENGTHS)[keyof typeof STRENGTHS] | undefined;
/** Read once: verification takes the parameters from each stored hash, so both kinds verify. */
const OPTIONS = () => (options ??= STRENGTHS[passwordHashCost()]);

/** Minimum and maximum password length we accept (long passphrases welcome). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS());
}

/** Verifies a password; an absent hash is checked against a dummy so timing does not reveal unknown accounts. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummyHash(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hash('diwan-timing-equaliser', OPTIONS());
  return dummy;
}
