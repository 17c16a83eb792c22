import { expect } from '@open-wc/testing';
import {
  batchCreate,
  batchDelete,
  batchGet,
  batchUpdate,
  changeSet,
  contentRef,
  createDataverseClient,
  DataverseError,
  loadBatchCodec,
  where,
} from '../../../src/dataverse/index.js';

// The wire format is loaded on demand (its own chunk), through the client's public entry point.
const { encodeBatch, parseBatchResponse } = await loadBatchCodec();
import { ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';
const ACCOUNT = '00000000-0000-0000-0000-000000000001';

function dataverse(server: ScriptedServer) {
  return createDataverseClient({
    transport: 'dataverse',
    url: `${server.origin}${API}`,
    token: async () => 'token',
    fetch: server.fetch,
    clock: new VirtualClock(),
  });
}

/** The change-set example response from Microsoft's "Execute batch operations using the Web API" (LF line ends). */
function changeSetResponse(org: string): string {
  return `--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
Content-Type: multipart/mixed; boundary=changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15

--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: ${org}/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: ${org}/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

HTTP/1.1 204 No Content
OData-Version: 4.0
Location:${org}/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId:${org}/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15--
--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 200 OK
Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
OData-Version: 4.0

{
  "@odata.context": "${org}/api/data/v9.2/$metadata#tasks(subject)",
  "value": [
    { "@odata.etag": "W/\\"77181173\\"", "subject": "Task 1 in batch", "activityid": "e73ffc82-e292-ed11-aad1-000d3a9933c9" },
    { "@odata.etag": "W/\\"77181176\\"", "subject": "Task 2 -- in batch", "activityid": "e83ffc82-e292-ed11-aad1-000d3a9933c9" }
  ]
}
--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f--
`;
}

/** The "Handling errors" example: without continue-on-error the batch answers 400 with the failing request only. */
const failedBatch = `--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 400 Bad Request
REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026
Content-Type: application/json; odata.metadata=minimal
OData-Version: 4.0

{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}
--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--
`;

describe('$batch encoding', () => {
  it('writes multipart/mixed with CRLF, nested change sets and Content-IDs', () => {
    let n = 0;
    const encoded = encodeBatch(
      'https://contoso.crm.dynamics.com/api/data/v9.2/',
      [
        changeSet(
          batchCreate('tasks', { subject: 'Task 1' }, { contentId: '1' }),
          batchUpdate('tasks', contentRef(1), { subject: 'Renamed' }),
        ),
        batchGet('accounts', ACCOUNT, { select: ['name'] }, { annotations: false }),
      ],
      () => `id${++n}`,
    );
    expect(encoded.contentType).to.equal('multipart/mixed; boundary=batch_id1');
    expect(encoded.body).to.equal(
      [
        '--batch_id1',
        'Content-Type: multipart/mixed; boundary=changeset_id2',
        '',
        '--changeset_id2',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 1',
        '',
        'POST https://contoso.crm.dynamics.com/api/data/v9.2/tasks HTTP/1.1',
        'Accept: application/json',
        'Content-Type: application/json; type=entry',
        '',
        '{"subject":"Task 1"}',
        '--changeset_id2',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 2',
        '',
        'PATCH $1 HTTP/1.1',
        'Accept: application/json',
        'If-Match: *',
        'Content-Type: application/json; type=entry',
        '',
        '{"subject":"Renamed"}',
        '--changeset_id2--',
        '--batch_id1',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        `GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts(${ACCOUNT})?$select=name HTTP/1.1`,
        'Accept: application/json',
        '',
        '',
        '--batch_id1--',
        '',
      ].join('\r\n'),
    );
    expect(encoded.operations.map((o) => [o.index, o.inChangeSet, o.contentId])).to.deep.equal([
      [0, true, '1'],
      [1, true, '2'],
      [2, false, undefined],
    ]);
  });

  it('encodes query text inside batch URLs like top-level URLs', () => {
    const encoded = encodeBatch('https://o/api/data/v9.2/', [batchGet('accounts', undefined, { filter: where.eq('name', "R&D 'x' #1") })], () => 'b');
    expect(encoded.body).to.contain("GET https://o/api/data/v9.2/accounts?$filter=name%20eq%20'R%26D%20''x''%20%231' HTTP/1.1");
  });

  it('refuses what Dataverse would refuse', () => {
    const invalid = (fn: () => unknown) => expect(fn).to.throw(DataverseError);
    invalid(() => changeSet(batchGet('accounts') as never));
    invalid(() => changeSet());
    invalid(() => encodeBatch('https://o/', []));
    invalid(() => encodeBatch('https://o/', Array.from({ length: 1001 }, () => batchDelete('accounts', ACCOUNT))));
    invalid(() => encodeBatch('https://o/', [changeSet(batchCreate('a', {}, { contentId: '1' }), batchCreate('b', {}, { contentId: '1' }))]));
    invalid(() => contentRef('1\r\nX: y'));
    invalid(() => batchCreate('bad set', {}));
  });
});

describe('$batch responses', () => {
  it('parses Microsoft\'s example response (LF) and its CRLF form identically', () => {
    const org = 'https://contoso.crm.dynamics.com';
    const contentType = 'multipart/mixed; boundary=batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f';
    const lf = parseBatchResponse(contentType, changeSetResponse(org));
    const crlf = parseBatchResponse(contentType, changeSetResponse(org).replace(/\n/g, '\r\n'));
    for (const parts of [lf, crlf]) {
      expect(parts.map((p) => p.kind)).to.deep.equal(['changeset', 'response']);
      const [set, get] = parts;
      if (set!.kind !== 'changeset' || get!.kind !== 'response') throw new Error('unexpected shape');
      expect(set.responses.map((r) => [r.contentId, r.status, r.headers.get('OData-EntityId')])).to.deep.equal([
        ['1', 204, `${org}/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)`],
        ['2', 204, `${org}/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)`],
      ]);
      expect(get.response.status).to.equal(200);
      expect(JSON.parse(get.response.bodyText).value[1].subject).to.equal('Task 2 -- in batch');
    }
  });

  it('runs a batch end to end and returns one result per operation', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}$batch`, (r) => {
      const type = r.header('Content-Type')!;
      expect(type).to.match(/^multipart\/mixed; boundary=batch_[0-9a-f-]{36}$/);
      const boundary = type.split('boundary=')[1]!;
      const body = r.body!;
      expect(body.startsWith(`--${boundary}\r\n`)).to.equal(true);
      expect(body.endsWith(`\r\n--${boundary}--\r\n`)).to.equal(true);
      expect(/[^\r]\n/.test(body)).to.equal(false); // CRLF only
      expect(body.match(/^Content-ID: \d+$/gm)).to.deep.equal(['Content-ID: 1', 'Content-ID: 2']);
      expect(r.header('Accept')).to.equal('application/json');
      expect(r.header('OData-Version')).to.equal('4.0');
      expect(r.header('Authorization')).to.equal('Bearer token');
      expect(r.header('Prefer')).to.equal(null);
      return server.multipart('batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f', changeSetResponse(server.origin));
    });
    const results = await dataverse(server).batch([
      changeSet(
        batchCreate('tasks', { subject: 'Task 1 in batch', 'regardingobjectid_account_task@odata.bind': `accounts(${ACCOUNT})` }),
        batchCreate('tasks', { subject: 'Task 2 in batch', 'regardingobjectid_account_task@odata.bind': `accounts(${ACCOUNT})` }),
      ),
      batchGet('tasks', undefined, { select: ['subject'] }),
    ]);
    expect(results.map((r) => [r.index, r.status, r.entityId, r.contentId, r.error])).to.deep.equal([
      [0, 204, 'e73ffc82-e292-ed11-aad1-000d3a9933c9', '1', null],
      [1, 204, 'e83ffc82-e292-ed11-aad1-000d3a9933c9', '2', null],
      [2, 200, null, null, null],
    ]);
    expect((results[2]!.body as { value: unknown[] }).value).to.have.length(2);
  });

  it('reports a failed (rolled back) change set as an error with the failing operation', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}$batch`, () => server.multipart('batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a', failedBatch, 400));
    const error = await dataverse(server)
      .batch([changeSet(batchCreate('tasks', { subject: 'x'.repeat(300) }), batchCreate('tasks', { subject: 'ok' }))])
      .then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'validation', status: 400, code: '0x80044331', operationIndex: 0 });
    expect(error.message).to.match(/^Change set rolled back: A validation error occurred/);
  });

  it('returns per-operation errors with continueOnError', async () => {
    const server = new ScriptedServer();
    const boundary = 'batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139';
    const body = [
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json; odata.metadata=minimal',
      'OData-Version: 4.0',
      '',
      '{"error":{"code":"0x80044331","message":"A validation error occurred."}}',
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 204 No Content',
      'OData-Version: 4.0',
      `OData-EntityId: ${server.origin}/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)`,
      '',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    server.on('POST', `${API}$batch`, (r) => {
      expect(r.header('Prefer')).to.equal('odata.continue-on-error');
      return server.multipart(boundary, body);
    });
    const results = await dataverse(server).batch([batchCreate('tasks', { subject: 'bad' }), batchCreate('tasks', { subject: 'good' })], {
      continueOnError: true,
    });
    expect(results[0]!.error).to.include({ kind: 'validation', code: '0x80044331', operationIndex: 0 });
    expect(results[1]).to.include({ status: 204, entityId: 'aed2ae8b-3c94-ed11-aad1-000d3a9933c9', error: null });
  });

  it('is not retried after a 503 (a batch is a POST), but is after a 429', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}$batch`, () => server.error(503, '0x80040216', 'Service Unavailable'));
    server.on('POST', `${API}$batch`, () => server.throttled(1));
    server.on('POST', `${API}$batch`, () =>
      server.multipart('b', '--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--b--\r\n'),
    );
    const client = dataverse(server);
    const error = await client.batch([batchDelete('accounts', ACCOUNT)]).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'server', status: 503, attempts: 1 });
    const results = await client.batch([batchDelete('accounts', ACCOUNT)]);
    expect(results[0]!.status).to.equal(204);
    expect(server.requests).to.have.length(3);
  });

  it('is refused on Power Pages with a clear error, before anything is sent', async () => {
    const server = new ScriptedServer('https://portal.contoso.com');
    const client = createDataverseClient({ transport: 'power-pages', siteUrl: server.origin, fetch: server.fetch, shell: () => undefined });
    const error = await client.batch([batchDelete('accounts', ACCOUNT)]).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'validation', code: 'BatchNotSupported', status: 0 });
    expect(error.message).to.contain('Power Pages has no $batch');
    expect(server.requests).to.have.length(0);
  });
});
