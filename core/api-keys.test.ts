import { describe, expect, it } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../config/env.ts';
import { apiKeyHeaders, apiKeyKind, isSecretKind, ROLE_OF_KEY } from './api-keys.ts';

describe('apiKeyKind', () => {
  it('tells the new opaque keys apart', () => {
    expect(apiKeyKind(LOCAL_PUBLISHABLE_KEY)).toBe('publishable');
    expect(apiKeyKind(LOCAL_SECRET_KEY)).toBe('secret');
  });

  it('reads the role of a legacy JWT key', () => {
    expect(apiKeyKind(LOCAL_ANON_KEY)).toBe('legacy-anon');
    expect(apiKeyKind(LOCAL_SERVICE_ROLE_KEY)).toBe('legacy-service-role');
  });

  it('is null for anything else', () => {
    for (const key of ['', 'sb_publishable_', 'sb_other_abc', 'a.b.c', 'not a key', 'ek_123']) {
      expect(apiKeyKind(key), key).toBeNull();
    }
  });

  it('maps each kind to its role; secret kinds act as service_role', () => {
    expect(ROLE_OF_KEY.publishable).toBe('anon');
    expect(isSecretKind('secret')).toBe(true);
    expect(isSecretKind('legacy-service-role')).toBe(true);
    expect(isSecretKind('publishable')).toBe(false);
    expect(isSecretKind('legacy-anon')).toBe(false);
  });
});

describe('apiKeyHeaders', () => {
  it('sends a new key in apikey only, never as a bearer token', () => {
    expect(apiKeyHeaders(LOCAL_PUBLISHABLE_KEY)).toEqual({ apikey: LOCAL_PUBLISHABLE_KEY });
    expect(apiKeyHeaders(LOCAL_SECRET_KEY)).toEqual({ apikey: LOCAL_SECRET_KEY });
  });

  it('sends a legacy JWT key in apikey and as the bearer token, as before', () => {
    expect(apiKeyHeaders(LOCAL_ANON_KEY)).toEqual({
      apikey: LOCAL_ANON_KEY,
      Authorization: `Bearer ${LOCAL_ANON_KEY}`,
    });
  });
});
