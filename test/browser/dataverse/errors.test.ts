import { expect } from '@open-wc/testing';
import { createDataverseClient, DataverseError, isAbort, kindOf, parseRetryAfter } from '../../../src/dataverse/index.js';
import { errorFromBody } from '../../../src/dataverse/errors.js';
import { ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

describe('DataverseError', () => {
  it('maps statuses to kinds', () => {
    expect(kindOf(0)).to.equal('network');
    expect(kindOf(400)).to.equal('validation');
    expect(kindOf(413)).to.equal('validation');
    expect(kindOf(401)).to.equal('auth');
    expect(kindOf(403)).to.equal('permission');
    expect(kindOf(404)).to.equal('not-found');
    expect(kindOf(409)).to.equal('conflict');
    expect(kindOf(412)).to.equal('conflict');
    expect(kindOf(429)).to.equal('throttled');
    expect(kindOf(500)).to.equal('server');
    expect(kindOf(503)).to.equal('server');
  });

  it('lets unambiguous codes win over statuses', () => {
    expect(kindOf(403, '90040107')).to.equal('auth'); // Power Pages anti-forgery on a 403
    expect(kindOf(401, '90040109')).to.equal('auth');
    expect(kindOf(403, '90040101')).to.equal('permission');
    expect(kindOf(403, '90040106')).to.equal('permission');
    expect(kindOf(403, '0x80040220')).to.equal('permission');
    expect(kindOf(404, '9004010C')).to.equal('not-found');
    expect(kindOf(400, '90040100')).to.equal('validation');
    expect(kindOf(500, '9004010D')).to.equal('server');
    expect(kindOf(500, '0x80040237')).to.equal('conflict'); // duplicate key, whatever the status
    expect(kindOf(503, '0x80072321')).to.equal('throttled');
    expect(kindOf(429, '0x80072326')).to.equal('throttled');
    expect(kindOf(400, '0x80048d19')).to.equal('validation');
  });

  it("classifies Power Pages' wrapped Dataverse errors (9004010D) by their cdscode and status", () => {
    const wrapped = (status: number, cdscode?: string) =>
      errorFromBody(status, '', { error: { code: '9004010D', message: 'Wrapped', cdscode, innererror: {} } }, new Headers(), undefined);
    expect(wrapped(404, '0x80040217').kind).to.equal('not-found');
    expect(wrapped(400, '0x80048d19').kind).to.equal('validation');
    expect(wrapped(412, '0x80040237').kind).to.equal('conflict');
    expect(wrapped(404).kind).to.equal('not-found');
    expect(wrapped(500).kind).to.equal('server');
    expect(wrapped(404, '0x80040217').code).to.equal('9004010D');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('5')).to.equal(5000);
    expect(parseRetryAfter('0.5')).to.equal(500);
    expect(parseRetryAfter(null)).to.equal(undefined);
    expect(parseRetryAfter('soon')).to.equal(undefined);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).to.equal(30_000);
  });

  it('is an Error with the server message, code, status and request, from a real response', async () => {
    const server = new ScriptedServer();
    server.on('GET', '/api/data/v9.2/salesorders', () =>
      server.error(400, '0x80060888', "Could not find a property named 'nme' on type 'Microsoft.Dynamics.CRM.salesorder'."),
    );
    const client = createDataverseClient({ transport: 'dataverse', url: `${server.origin}/api/data/v9.2/`, fetch: server.fetch, clock: new VirtualClock() });
    const error = await client.getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(Error);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error.name).to.equal('DataverseError');
    expect(error).to.include({
      kind: 'validation',
      status: 400,
      code: '0x80060888',
      message: "Could not find a property named 'nme' on type 'Microsoft.Dynamics.CRM.salesorder'.",
      attempts: 1,
    });
    expect(error.request).to.deep.equal({ method: 'GET', url: `${server.origin}/api/data/v9.2/salesorders` });
    expect(error.retryAfterMs).to.equal(undefined);
  });

  it('falls back to the status text when the body is not an OData error (HTML from a gateway)', async () => {
    const server = new ScriptedServer();
    server.on('GET', '/api/data/v9.2/salesorders', () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const client = createDataverseClient({
      transport: 'dataverse',
      url: `${server.origin}/api/data/v9.2/`,
      fetch: server.fetch,
      clock: new VirtualClock(),
      retry: { maxAttempts: 1 },
    });
    const error = await client.getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'server', status: 502, code: undefined, message: '502 Bad Gateway' });
  });

  it('keeps fields when copied with changes', () => {
    const error = new DataverseError({ kind: 'conflict', status: 412, code: 'x', message: 'm', request: { method: 'PATCH', url: 'u' } });
    const copy = error.with({ attempts: 3 });
    expect(copy).to.include({ kind: 'conflict', status: 412, code: 'x', message: 'm', attempts: 3 });
    expect(copy.request).to.deep.equal({ method: 'PATCH', url: 'u' });
  });

  it('recognises aborts', () => {
    expect(isAbort(new DOMException('x', 'AbortError'))).to.equal(true);
    expect(isAbort(new DOMException('x', 'TimeoutError'))).to.equal(true);
    expect(isAbort(new TypeError('Failed to fetch'))).to.equal(false);
    const controller = new AbortController();
    controller.abort('any reason');
    expect(isAbort('any reason', controller.signal)).to.equal(true);
  });
});
