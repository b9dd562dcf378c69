import { describe, expect, it } from 'vitest';
import { checkoutFunctions } from '../config/checkout.ts';
import { functionsWithoutJwtCheck } from './function-config.ts';

describe('functionsWithoutJwtCheck', () => {
  it('reads verify_jwt of each [functions.<name>] table, ignoring comments and other tables', () => {
    const toml = [
      '[api]',
      'verify_jwt = false # not a function',
      '[functions.open]',
      'enabled = true',
      '# verify_jwt = true',
      'verify_jwt = false',
      '[functions."quoted-name"]',
      'verify_jwt=false',
      '[functions.checked]',
      'verify_jwt = true',
      '[functions.default]',
      'enabled = true',
    ].join('\n');
    expect([...functionsWithoutJwtCheck(toml)].sort()).toEqual(['open', 'quoted-name']);
  });

  it('has every function of the project check the apikey itself (verify_jwt = false)', () => {
    expect([...functionsWithoutJwtCheck()].sort()).toEqual(checkoutFunctions());
  });
});
