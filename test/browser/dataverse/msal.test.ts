/**
 * MSAL without a tenant: configuration checks, lazy loading of @azure/msal-browser, and the "no account
 * yet" path through a real MSAL v5 initialisation. Acquiring a real token (silent, popup, redirect, the
 * 401 → forceRefresh path against Entra ID) needs a tenant, an app registration and network access to
 * login.microsoftonline.com; it is not tested here.
 */
import { expect } from '@open-wc/testing';
import { checkMsalOptions, createDataverseClient, DataverseError, msalTokenProvider } from '../../../src/dataverse/index.js';
import { ScriptedServer, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const CLIENT_ID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ORG = 'https://contoso.crm.dynamics.com';

function msalLoaded(): boolean {
  return performance.getEntriesByType('resource').some((entry) => entry.name.includes('@azure/msal-browser'));
}

function msalKeys(storage: Storage): string[] {
  return Object.keys(storage).filter((key) => key.toLowerCase().includes('msal'));
}

describe('MSAL token provider', () => {
  it('checks its options at once, without loading MSAL', () => {
    const invalid = (options: unknown, pattern: RegExp) => {
      try {
        msalTokenProvider(options as never);
        expect.fail('expected a configuration error');
      } catch (error) {
        expect(error).to.be.instanceOf(DataverseError);
        expect(error).to.include({ kind: 'validation', code: 'InvalidConfiguration' });
        expect((error as Error).message).to.match(pattern);
      }
    };
    invalid({ clientId: 'my-app', orgUrl: ORG }, /clientId/);
    invalid({ clientId: CLIENT_ID, orgUrl: 'http://contoso.crm.dynamics.com' }, /orgUrl/);
    invalid({ clientId: CLIENT_ID, orgUrl: 'contoso' }, /orgUrl/);
    invalid({ clientId: CLIENT_ID, orgUrl: ORG, authority: 'login.microsoftonline.com' }, /authority/);
    invalid({ clientId: CLIENT_ID, orgUrl: ORG, redirectUri: '/relative' }, /redirectUri/);
    invalid({ clientId: CLIENT_ID, orgUrl: ORG, interaction: 'iframe' }, /interaction/);
    expect(msalLoaded()).to.equal(false);
  });

  it('derives the Dataverse scope and defaults', () => {
    expect(checkMsalOptions({ clientId: CLIENT_ID, orgUrl: `${ORG}/api/data/v9.2/` })).to.deep.equal({
      clientId: CLIENT_ID,
      scopes: [`${ORG}/.default`],
      authority: 'https://login.microsoftonline.com/organizations',
      redirectUri: undefined,
      interaction: 'redirect',
    });
  });

  it('is not loaded by clients that do not use it (Power Pages, host callback)', async () => {
    const server = new ScriptedServer();
    server.always('GET', '/api/data/v9.2/accounts', () => server.collection([], {}, 'accounts'));
    server.always('GET', '/_api/accounts', () => server.collection([], {}, 'accounts'));
    await createDataverseClient({ transport: 'dataverse', url: `${server.origin}/api/data/v9.2/`, token: async () => 't', fetch: server.fetch }).getPage('accounts');
    await createDataverseClient({
      transport: 'power-pages',
      siteUrl: server.origin,
      fetch: server.fetch,
      shell: () => ({ getTokenDeferred: () => ({ then: (ok: (v: string) => unknown) => ok('csrf') }) }),
    }).getPage('accounts');
    // Creating the provider does not load it either: only the first token request does.
    msalTokenProvider({ clientId: CLIENT_ID, orgUrl: ORG });
    expect(msalLoaded()).to.equal(false);
  });

  it('loads MSAL on first use, initialises it with sessionStorage, and asks for sign-in when no account exists', async () => {
    const localBefore = msalKeys(localStorage);
    const server = new ScriptedServer();
    const token = msalTokenProvider({ clientId: CLIENT_ID, orgUrl: ORG, interaction: 'none', redirectUri: `${location.origin}/redirect.html` });
    const client = createDataverseClient({ transport: 'dataverse', url: `${ORG}/api/data/v9.2/`, token, fetch: server.fetch });
    const error = await client.getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'auth', code: 'InteractionRequired' });
    expect(server.requests).to.have.length(0); // nothing sent without a token
    expect(msalLoaded()).to.equal(true);
    expect(await token.account()).to.equal(null);
    // MSAL's cache lives in sessionStorage, never localStorage.
    expect(msalKeys(localStorage)).to.deep.equal(localBefore);
    expect(msalKeys(sessionStorage).length).to.be.greaterThan(0);
  });
});
