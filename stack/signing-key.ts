import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

/**
 * The stack's asymmetric JWT signing key, as hosted projects now sign user
 * JWTs: an ES256 key pair made at the first start and kept in the data folder
 * (readable by its owner only), so tokens signed with it stay valid across
 * restarts. The legacy HS256 secret is still accepted beside it.
 */
export interface SigningKey {
  /** The private key (JWK), for signing test and tool tokens. */
  privateJwk: JWK;
  /** The public keys clients and services verify JWTs with. */
  jwks: JSONWebKeySet;
}

export const SIGNING_KEY_FILE = 'jwt-signing-key.json';

/** The public members of each key type (RFC 7518): never `d`, nor an RSA key's primes. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  EC: ['kty', 'crv', 'x', 'y'],
  RSA: ['kty', 'n', 'e'],
  OKP: ['kty', 'crv', 'x'],
};

function publicJwkOf(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new Error(`the signing key is of an unknown type (${jwk.kty})`);
  const picked = [...members, 'alg', 'use', 'kid'].filter((name) => name in jwk);
  return Object.fromEntries(picked.map((name) => [name, jwk[name as keyof JWK]])) as JWK;
}

export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  let privateJwk: JWK;
  if (existsSync(file)) {
    // Readable by its owner only, whoever made it.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = {
      ...(await exportJWK(privateKey)),
      alg: 'ES256',
      use: 'sig',
      kid: crypto.randomUUID(),
    };
    // Written whole or not at all: a half-written key would stop every later start.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
    renameSync(partial, file);
  }
  return { privateJwk, jwks: { keys: [publicJwkOf(privateJwk)] } };
}

/**
 * What PostgREST verifies JWTs with: the legacy HS256 secret and the public
 * signing key, as one JWKS (PostgREST's jwt-secret takes one).
 */
export function postgrestJwks(jwtSecret: string, jwks: JSONWebKeySet): string {
  const oct = { kty: 'oct', alg: 'HS256', k: Buffer.from(jwtSecret).toString('base64url') };
  return JSON.stringify({ keys: [oct, ...jwks.keys] });
}
