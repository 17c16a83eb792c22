import { expect } from '@open-wc/testing';
import { createDataverseClient, DataverseError, isGuid, type Row } from '../../../src/dataverse/index.js';
import { networkFailure, ScriptedServer, VirtualClock, type RecordedRequest, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';
const NEW_ID = 'c7b9d8a4-0f51-ef11-a317-000d3a8b6f2b';
const ACCOUNT_ID = 'a8a19cdd-88df-e311-b8e5-6c3be5a8b200';
const PRODUCT_ID = '4ec6ac3b-5b4c-4d5e-9d0f-7a4a4c0f5b11';

function dataverse(server: ScriptedServer, clock = new VirtualClock()) {
  return createDataverseClient({
    transport: 'dataverse',
    url: `${server.origin}${API}`,
    token: async () => 'token',
    fetch: server.fetch,
    clock,
    random: () => 0.5,
  });
}

function expectJsonWrite(request: RecordedRequest) {
  expect(request.header('Content-Type')).to.equal('application/json');
  expect(request.header('Accept')).to.equal('application/json');
  expect(request.header('OData-Version')).to.equal('4.0');
  expect(request.header('OData-MaxVersion')).to.equal('4.0');
  // If-None-Match: null is for GETs only (writes carry their own conditions).
  expect(request.header('If-None-Match')).to.not.equal('null');
}

describe('create', () => {
  it('POSTs JSON and returns the id from OData-EntityId (204)', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}accounts`, () => server.created('accounts', NEW_ID));
    const id = await dataverse(server).create('accounts', { name: 'Contoso', creditlimit: 1000 });
    expect(id).to.equal(NEW_ID);
    const [request] = server.requests;
    expectJsonWrite(request!);
    expect(request!.header('Prefer')).to.equal(null);
    expect(request!.json()).to.deep.equal({ name: 'Contoso', creditlimit: 1000 });
  });

  it('returns the stored row with returnRepresentation (201)', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}accounts`, (r) => {
      expect(r.option('$select')).to.equal('name');
      return server.json(
        { '@odata.context': `${server.origin}${API}$metadata#accounts(name)/$entity`, '@odata.etag': 'W/"1"', name: 'Contoso', accountid: NEW_ID },
        201,
      );
    });
    const row = await dataverse(server).create<{ name: string; accountid: string }>('accounts', { name: 'Contoso' }, {
      returnRepresentation: true,
      select: ['name'],
    });
    expect(row.accountid).to.equal(NEW_ID);
    expect(server.requests[0]!.header('Prefer')).to.equal('return=representation,odata.include-annotations="*"');
  });

  it('sends a deep insert (a header with nested lines) as one body', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}salesorders`, () => server.created('salesorders', NEW_ID));
    const order = {
      name: 'sales order',
      'customerid_account@odata.bind': `/accounts(${ACCOUNT_ID})`,
      order_details: [
        { quantity: 2, 'productid@odata.bind': `/products(${PRODUCT_ID})` },
        { quantity: 1, 'productid@odata.bind': `/products(${PRODUCT_ID})`, description: "O'Brien's \"special\"" },
      ],
    };
    expect(await dataverse(server).create('salesorders', order)).to.equal(NEW_ID);
    expect(server.requests).to.have.length(1);
    expect(server.requests[0]!.json()).to.deep.equal(order);
  });

  it('reads the Power Pages entityid header', async () => {
    const server = new ScriptedServer('https://portal.contoso.com');
    server.on('GET', '/_layout/tokenhtml', () => new Response('<input name="__RequestVerificationToken" type="hidden" value="csrf" />'));
    server.on('POST', '/_api/contacts', () => server.noContent({ entityid: NEW_ID }));
    const client = createDataverseClient({ transport: 'power-pages', siteUrl: server.origin, fetch: server.fetch, shell: () => undefined });
    expect(await client.create('contacts', { lastname: 'Smith' })).to.equal(NEW_ID);
  });

  it('never retries a plain POST after a 503 or a network failure', async () => {
    for (const fail of [() => new ScriptedServer().error(503, '0x80040216', 'Service Unavailable'), networkFailure]) {
      const server = new ScriptedServer();
      server.on('POST', `${API}accounts`, fail);
      server.on('POST', `${API}accounts`, () => server.created('accounts', NEW_ID));
      const clock = new VirtualClock();
      const error = await dataverse(server, clock).create('accounts', { name: 'x' }).then(resolvedUnexpectedly, asDataverseError);
      expect(error).to.be.instanceOf(DataverseError);
      expect(['server', 'network']).to.include(error.kind);
      expect(error.attempts).to.equal(1);
      expect(server.sent('POST')).to.have.length(1);
      expect(clock.sleeps).to.deep.equal([]);
    }
  });
});

describe('update, upsert and delete', () => {
  it('PATCHes with If-Match: <etag> for optimistic concurrency, and maps 412 to conflict', async () => {
    const server = new ScriptedServer();
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.noContent());
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () =>
      server.error(412, '0x80060882', 'The version of the existing record doesn\'t match the RowVersion property provided.'),
    );
    const client = dataverse(server);
    await client.update('accounts', ACCOUNT_ID, { name: 'New name' }, { etag: 'W/"81052965"' });
    const error = await client.update('accounts', ACCOUNT_ID, { name: 'Again' }, { etag: 'W/"81052965"' }).then(resolvedUnexpectedly, asDataverseError);
    expect(server.requests.map((r) => r.header('If-Match'))).to.deep.equal(['W/"81052965"', 'W/"81052965"']);
    expectJsonWrite(server.requests[0]!);
    expect(error).to.include({ kind: 'conflict', status: 412, code: '0x80060882' });
  });

  it('PATCHes with If-Match: * without an etag (update only: never creates)', async () => {
    const server = new ScriptedServer();
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.error(404, '0x80040217', 'account With Id = … Does Not Exist'));
    const error = await dataverse(server).update('accounts', ACCOUNT_ID, { name: 'x' }).then(resolvedUnexpectedly, asDataverseError);
    expect(server.requests[0]!.header('If-Match')).to.equal('*');
    expect(error.kind).to.equal('not-found');
  });

  it('returns the updated row with returnRepresentation (200)', async () => {
    const server = new ScriptedServer();
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.json({ '@odata.etag': 'W/"2"', name: 'New' }));
    const row = await dataverse(server).update<{ name: string }>('accounts', ACCOUNT_ID, { name: 'New' }, { returnRepresentation: true });
    expect(row.name).to.equal('New');
    expect(server.requests[0]!.header('Prefer')).to.equal('return=representation,odata.include-annotations="*"');
  });

  it('retries an ETag-guarded PATCH after a 503 (idempotent)', async () => {
    const server = new ScriptedServer();
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.error(503, '0x80040216', 'Service Unavailable'));
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.noContent());
    await dataverse(server).update('accounts', ACCOUNT_ID, { name: 'x' }, { etag: 'W/"5"' });
    expect(server.sent('PATCH')).to.have.length(2);
  });

  it('upserts with a plain PATCH and does not retry it after a 503', async () => {
    const server = new ScriptedServer();
    server.on('PATCH', `${API}accounts(${ACCOUNT_ID})`, () => server.error(503, '0x80040216', 'Service Unavailable'));
    const error = await dataverse(server).upsert('accounts', ACCOUNT_ID, { name: 'x' }).then(resolvedUnexpectedly, asDataverseError);
    expect(server.requests[0]!.header('If-Match')).to.equal(null);
    expect(server.requests[0]!.header('If-None-Match')).to.equal(null);
    expect(error.kind).to.equal('server');
    expect(server.requests).to.have.length(1);
  });

  it('deletes (with If-Match when given); a retry that finds the row gone is success', async () => {
    const server = new ScriptedServer();
    server.on('DELETE', `${API}accounts(${ACCOUNT_ID})`, () => server.noContent());
    server.on('DELETE', `${API}accounts(${ACCOUNT_ID})`, networkFailure); // executed, answer lost
    server.on('DELETE', `${API}accounts(${ACCOUNT_ID})`, () => server.error(404, '0x80040217', 'Does Not Exist'));
    server.on('DELETE', `${API}accounts(${ACCOUNT_ID})`, () => server.error(404, '0x80040217', 'Does Not Exist'));
    const client = dataverse(server);
    await client.delete('accounts', ACCOUNT_ID, { etag: 'W/"7"' });
    await client.delete('accounts', ACCOUNT_ID);
    const error = await client.delete('accounts', ACCOUNT_ID).then(resolvedUnexpectedly, asDataverseError);
    expect(server.requests.map((r) => r.header('If-Match'))).to.deep.equal(['W/"7"', null, null, null]);
    expect(error).to.include({ kind: 'not-found', attempts: 1 }); // a first-attempt 404 is a real "not found"
  });
});

describe('createSafely', () => {
  /** A server that keeps rows by id and answers PATCH + If-None-Match: * like Dataverse. */
  function rowStore(server: ScriptedServer, entitySet: string) {
    const rows = new Map<string, Record<string, unknown>>();
    const idOf = (r: RecordedRequest) => /\(([0-9a-f-]{36})\)$/.exec(r.url.pathname)![1]!;
    const upsertCreateOnly = (r: RecordedRequest) => {
      expect(r.header('If-None-Match')).to.equal('*');
      const id = idOf(r);
      if (rows.has(id)) return server.error(412, '0x80040237', 'A record with matching key values already exists.');
      rows.set(id, { ...r.json(), [`${entitySet.replace(/s$/, '')}id`]: id });
      return server.noContent({ 'OData-EntityId': `${server.origin}${API}${entitySet}(${id})` });
    };
    const read = (r: RecordedRequest) => {
      const row = rows.get(idOf(r));
      return row ? server.json({ '@odata.etag': 'W/"1"', ...row }) : server.error(404, '0x80040217', 'Does Not Exist');
    };
    return { rows, upsertCreateOnly, read };
  }

  it('creates with a client-chosen GUID: PATCH <set>(<guid>) + If-None-Match: *', async () => {
    const server = new ScriptedServer();
    const store = rowStore(server, 'salesorders');
    server.on('PATCH', /salesorders\(/, store.upsertCreateOnly);
    const result = await dataverse(server).createSafely('salesorders', { name: 'Web order' });
    expect(isGuid(result.id)).to.equal(true);
    expect(result).to.include({ alreadyExisted: false, attempts: 1 });
    expect(server.requests[0]!.url.pathname).to.equal(`${API}salesorders(${result.id})`);
    expectJsonWrite(server.requests[0]!);
    expect(store.rows.size).to.equal(1);
  });

  it('survives a lost answer: the retry gets 412, the row is read back, and exactly one row exists', async () => {
    const server = new ScriptedServer();
    const store = rowStore(server, 'salesorders');
    server.on('PATCH', /salesorders\(/, (r) => {
      store.upsertCreateOnly(r); // the server executed it…
      return networkFailure(); // …but the answer never arrived
    });
    server.on('PATCH', /salesorders\(/, store.upsertCreateOnly);
    server.on('GET', /salesorders\(/, store.read);
    const clock = new VirtualClock();
    const result = await dataverse(server, clock).createSafely('salesorders', { name: 'Web order' });
    expect(result).to.include({ alreadyExisted: true, attempts: 2 });
    expect(store.rows.size).to.equal(1);
    expect([...store.rows.keys()]).to.deep.equal([result.id]);
    expect(server.requests.map((r) => r.method)).to.deep.equal(['PATCH', 'PATCH', 'GET']);
    expect(clock.sleeps).to.have.length(1); // one back-off before the retry
  });

  it('survives 503 and 429 before the create lands', async () => {
    const server = new ScriptedServer();
    const store = rowStore(server, 'salesorders');
    server.on('PATCH', /salesorders\(/, () => server.error(503, '0x80040216', 'Service Unavailable'));
    server.on('PATCH', /salesorders\(/, () => server.throttled(2));
    server.on('PATCH', /salesorders\(/, store.upsertCreateOnly);
    const result = await dataverse(server).createSafely('salesorders', { name: 'x' });
    expect(result).to.include({ alreadyExisted: false, attempts: 3 });
    expect(new Set(server.requests.map((r) => r.url.pathname)).size).to.equal(1); // same GUID every time
  });

  it('recognises a create made by an earlier call with the same id (a reload), using the predicate', async () => {
    const server = new ScriptedServer();
    const store = rowStore(server, 'salesorders');
    store.rows.set(NEW_ID, { salesorderid: NEW_ID, name: 'Web order', msdyn_customersorderreference: 'PO-17' });
    server.on('PATCH', /salesorders\(/, store.upsertCreateOnly);
    server.on('GET', /salesorders\(/, (r) => {
      expect(r.option('$select')).to.equal('msdyn_customersorderreference');
      return store.read(r);
    });
    const result = await dataverse(server).createSafely<{ msdyn_customersorderreference: string }>(
      'salesorders',
      { name: 'Web order', msdyn_customersorderreference: 'PO-17' },
      {
        id: NEW_ID.toUpperCase(),
        verifySelect: ['msdyn_customersorderreference'],
        isOurs: (row: Row<{ msdyn_customersorderreference: string }>) => row.msdyn_customersorderreference === 'PO-17',
      },
    );
    expect(result).to.deep.equal({ id: NEW_ID, alreadyExisted: true, attempts: 1 });
    expect(store.rows.size).to.equal(1);
  });

  it('reports a conflict when the existing row is not ours', async () => {
    const server = new ScriptedServer();
    const store = rowStore(server, 'salesorders');
    store.rows.set(NEW_ID, { name: 'Someone else' });
    server.on('PATCH', /salesorders\(/, store.upsertCreateOnly);
    server.on('GET', /salesorders\(/, store.read);
    const error = await dataverse(server)
      .createSafely<{ name: string }>('salesorders', { name: 'Mine' }, { id: NEW_ID, isOurs: (row) => row.name === 'Mine' })
      .then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'conflict', status: 412, code: '0x80040237' });
    expect(error.message).to.contain('A different row already has id');
  });

  it('can POST with the id in the primary key (deep insert) and still survive a lost answer', async () => {
    const server = new ScriptedServer();
    const created: string[] = [];
    server.on('POST', `${API}salesorders`, (r) => {
      created.push(r.json<{ salesorderid: string }>().salesorderid);
      return networkFailure();
    });
    server.on('POST', `${API}salesorders`, () =>
      server.error(412, '0x80040237', 'A record with matching key values already exists.'),
    );
    server.on('GET', /salesorders\(/, (r) => server.json({ salesorderid: /\(([^)]+)\)/.exec(r.url.pathname)![1] }));
    const result = await dataverse(server).createSafely('salesorders', { name: 'x', order_details: [{ quantity: 1 }] }, { primaryKey: 'salesorderid' });
    expect(result).to.include({ alreadyExisted: true, attempts: 2 });
    expect(created).to.deep.equal([result.id]);
    const body = server.requests[1]!.json<{ salesorderid: string; order_details: unknown[] }>();
    expect(body.salesorderid).to.equal(result.id);
    expect(body.order_details).to.deep.equal([{ quantity: 1 }]);
  });

  it('validates a caller-supplied id before sending', async () => {
    const server = new ScriptedServer();
    const error = await dataverse(server).createSafely('salesorders', {}, { id: "x') or ('1" }).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'validation', code: 'InvalidGuid' });
    expect(server.requests).to.have.length(0);
  });
});
