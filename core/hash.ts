import canonicalize from 'canonicalize';

/** sha256 (hex) of the RFC 8785 canonical JSON of `value`: key order and formatting do not matter. */
export async function canonicalHash(value: unknown): Promise<string> {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new Error('value cannot be canonicalised');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
