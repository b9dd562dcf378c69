import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../config/env.ts';
import { loadOrCreateSigningKey, postgrestJwks, SIGNING_KEY_FILE } from './signing-key.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'signing-key-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadOrCreateSigningKey', () => {
  it('makes an ES256 key pair once, readable by its owner only, and keeps it across starts', async () => {
    const first = await loadOrCreateSigningKey(dataDir);
    expect(statSync(path.join(dataDir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateSigningKey(dataDir);
    expect(again).toEqual(first);
    // The JWKS holds the public half only.
    expect(first.jwks.keys).toHaveLength(1);
    expect(first.jwks.keys[0]).not.toHaveProperty('d');
    expect(first.jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });

    const token = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'ES256', kid: first.privateJwk.kid as string })
      .sign(await importJWK(first.privateJwk, 'ES256'));
    const { payload } = await jwtVerify(token, createLocalJWKSet(first.jwks));
    expect(payload.role).toBe('authenticated');
  });

  it('publishes only the public members of an RSA key, and makes a loose file owner-only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signing-key-rsa-'));
    try {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const file = path.join(dir, SIGNING_KEY_FILE);
      writeFileSync(file, JSON.stringify({ ...(await exportJWK(privateKey)), alg: 'RS256' }));
      chmodSync(file, 0o644);
      const { jwks } = await loadOrCreateSigningKey(dir);
      expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kty', 'n']);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual([SIGNING_KEY_FILE]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives PostgREST the HS256 secret and the public key as one JWKS', async () => {
    const { jwks } = await loadOrCreateSigningKey(dataDir);
    const set = JSON.parse(postgrestJwks(LOCAL_JWT_SECRET, jwks)) as {
      keys: { kty: string; k?: string }[];
    };
    expect(set.keys.map((key) => key.kty)).toEqual(['oct', 'EC']);
    expect(Buffer.from(set.keys[0]?.k ?? '', 'base64url').toString()).toBe(LOCAL_JWT_SECRET);
  });
});
