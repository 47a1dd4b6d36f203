import { callbackWith, ConsentFlow, consentPage, pageHeaders, usableRedirectUri, verifierMatches } from './oauth-consent';

describe('the sandboxes’ authorization code grant', () => {
  const grant = { clientId: 'app', redirectUri: 'https://app.example.com/cb?keep=1', state: 's1', scope: 'read', codeChallenge: null };

  it('issues a code only for an allowed request, once, and tells an expired one apart', () => {
    let now = 0;
    const flow = new ConsentFlow({ codeTtlMs: 1000, now: () => now });
    const denied = flow.decide(flow.open(grant), false);
    expect(denied).toEqual({ grant });
    const request = flow.open(grant);
    const allowed = flow.decide(request, true)!;
    expect(flow.decide(request, true)).toBeUndefined();
    now = 1000;
    expect(flow.redeem(allowed.code!)).toEqual({ ...grant, expired: true });
    expect(flow.redeem(allowed.code!)).toBeUndefined();
  });

  it('keeps the callback’s own query and adds the answer, state included', () => {
    expect(callbackWith(grant.redirectUri, { code: 'c', state: 's1', error: null })).toBe('https://app.example.com/cb?keep=1&code=c&state=s1');
    expect(usableRedirectUri('https://app.example.com/cb#frag')).toBe(false);
    expect(usableRedirectUri('javascript:alert(1)')).toBe(false);
  });

  it('escapes what the request carries and lets the form post here and redirect to the callback only', () => {
    const html = consentPage({
      vendor: 'Sandbox',
      clientId: '<script>x</script>',
      resource: 'the org',
      user: 'u@example.com',
      scopes: [{ name: 'api', meaning: 'REST' }],
      action: 'authorize',
      requestId: 'r"1',
      redirectUri: 'https://app.example.com/cb',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="r&quot;1"');
    expect(html).toMatch(/<button type="submit" name="decision" value="allow">Allow<\/button>/);
    expect(pageHeaders('https://app.example.com/cb')['Content-Security-Policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https://app.example.com; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('checks a PKCE verifier against its S256 challenge (RFC 7636 appendix B)', () => {
    expect(verifierMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifierMatches('another', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
  });
});
