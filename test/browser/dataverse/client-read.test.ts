import { expect } from '@open-wc/testing';
import {
  createDataverseClient,
  DataverseError,
  etagOf,
  formatted,
  lookupOf,
  valuesOf,
  where,
  type Row,
} from '../../../src/dataverse/index.js';
import { ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';
const ORDER_ID = '7d577253-3ef0-4a0a-bb7f-8335c2596e70';
const ACCOUNT_ID = 'a8a19cdd-88df-e311-b8e5-6c3be5a8b200';

interface SalesOrder {
  salesorderid: string;
  name: string;
  totalamount: number;
  statuscode: number;
  _customerid_value: string | null;
}

/** A sales order row as Dataverse sends it with `odata.include-annotations="*"`. */
const annotatedOrder = {
  '@odata.etag': 'W/"81052965"',
  salesorderid: ORDER_ID,
  name: 'Order for Contoso',
  totalamount: 1250,
  'totalamount@OData.Community.Display.V1.FormattedValue': '$1,250.00',
  statuscode: 3,
  'statuscode@OData.Community.Display.V1.FormattedValue': 'In Progress',
  '_customerid_value@OData.Community.Display.V1.FormattedValue': 'Contoso Ltd',
  '_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'customerid_account',
  '_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
  _customerid_value: ACCOUNT_ID.toUpperCase(),
};

function dataverse(server: ScriptedServer, extra: Record<string, unknown> = {}) {
  return createDataverseClient({
    transport: 'dataverse',
    url: `${server.origin}${API}`,
    token: async () => 'token-1',
    fetch: server.fetch,
    clock: new VirtualClock(),
    ...extra,
  });
}

describe('client reads: headers', () => {
  it('sends the OData headers, If-None-Match: null and the Prefer header on GETs', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders`, () => server.collection([]));
    const client = dataverse(server);
    await client.getPage('salesorders', { select: ['name'] }, { maxPageSize: 50 });
    const [request] = server.requests;
    expect(request!.header('Accept')).to.equal('application/json');
    expect(request!.header('OData-MaxVersion')).to.equal('4.0');
    expect(request!.header('OData-Version')).to.equal('4.0');
    expect(request!.header('If-None-Match')).to.equal('null');
    expect(request!.header('Prefer')).to.equal('odata.include-annotations="*",odata.maxpagesize=50');
    expect(request!.header('Authorization')).to.equal('Bearer token-1');
    expect(request!.header('Content-Type')).to.equal(null);
    expect(request!.credentials).to.equal('same-origin');
  });

  it('asks for a list of annotations, or none', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}salesorders`, () => server.collection([]));
    const client = dataverse(server, { annotations: ['OData.Community.Display.V1.FormattedValue'] });
    await client.getPage('salesorders');
    await client.getPage('salesorders', undefined, { annotations: false });
    expect(server.requests[0]!.header('Prefer')).to.equal('odata.include-annotations="OData.Community.Display.V1.FormattedValue"');
    expect(server.requests[1]!.header('Prefer')).to.equal(null);
  });

  it('sends a conditional GET instead of If-None-Match: null and reports 304 as unchanged', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders(${ORDER_ID})`, () => new Response(null, { status: 304 }));
    server.on('GET', `${API}salesorders(${ORDER_ID})`, () => server.json({ ...annotatedOrder, '@odata.etag': 'W/"81052999"' }));
    const client = dataverse(server, { annotations: false });
    expect(await client.getRowIfChanged('salesorders', ORDER_ID, 'W/"81052965"', { select: ['name'] })).to.equal(null);
    const changed = await client.getRowIfChanged('salesorders', ORDER_ID, 'W/"81052965"');
    expect(etagOf(changed!)).to.equal('W/"81052999"');
    expect(server.requests.map((r) => r.header('If-None-Match'))).to.deep.equal(['W/"81052965"', 'W/"81052965"']);
  });
});

describe('client reads: hostile text reaches the server intact', () => {
  const hostile = ["O'Brien", "a' or 1 eq 1 or 'x", '100%', 'R&D', 'C#', 'a+b', 'Zürich – 東京 😀', 'x;y=z/?@$,:'];
  for (const text of hostile) {
    it(`filters on ${JSON.stringify(text)}`, async () => {
      const server = new ScriptedServer();
      server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
      await dataverse(server).getPage('accounts', { select: ['name'], filter: where.eq('name', text) });
      const [request] = server.requests;
      // What the server decodes is exactly one filter with the text as one string literal.
      expect(request!.option('$filter')).to.equal(`name eq '${text.replace(/'/g, "''")}'`);
      expect([...request!.url.searchParams.keys()]).to.deep.equal(['$select', '$filter']);
      expect(request!.url.hash).to.equal('');
    });
  }
});

describe('client reads: paging', () => {
  it('returns one page with nextLink and count, and follows the nextLink unchanged with the same page size', async () => {
    const server = new ScriptedServer();
    const nextLink =
      `${server.origin}${API}salesorders?$select=name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253csalesorderid%2520last%253d%2522%257b${ORDER_ID}%257d%2522%2520first%253d%2522%257b${ORDER_ID}%257d%2522%2520%252f%253e%253c%252fcookie%253e%22%20istracking=%22False%22%20/%3E`;
    server.on('GET', `${API}salesorders`, () =>
      server.collection([annotatedOrder, { ...annotatedOrder, name: 'Second' }], { '@odata.count': 3, '@odata.nextLink': nextLink }),
    );
    server.on('GET', `${API}salesorders`, () => server.collection([{ ...annotatedOrder, name: 'Third' }], { '@odata.count': 3 }));
    const client = dataverse(server);
    const first = await client.getPage<SalesOrder>('salesorders', { select: ['name'], count: true }, { maxPageSize: 2 });
    expect(first.rows.map((r) => r.name)).to.deep.equal(['Order for Contoso', 'Second']);
    expect(first.count).to.equal(3);
    expect(first.countCapped).to.equal(false);
    expect(first.nextLink).to.equal(nextLink);

    const second = await client.getNextPage(first);
    expect(second.rows.map((r) => r.name)).to.deep.equal(['Third']);
    expect(second.nextLink).to.equal(null);
    const followed = server.requests[1]!;
    expect(followed.url.href).to.equal(nextLink);
    expect(followed.header('Prefer')).to.equal('odata.include-annotations="*",odata.maxpagesize=2');
    await client.getNextPage(second).then(
      () => expect.fail('there is no next page'),
      (error: DataverseError) => expect(error.code).to.equal('NoNextPage'),
    );
  });

  it('reports the 5,000 count cap instead of hiding it', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders`, () =>
      server.collection([], { '@odata.count': 5000, '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': true }),
    );
    server.on('GET', `${API}salesorders`, () => server.collection([], { '@odata.count': 4999 }));
    server.on('GET', `${API}salesorders`, () => server.collection([]));
    const client = dataverse(server);
    const capped = await client.getPage('salesorders', { count: true });
    expect(capped).to.include({ count: 5000, countCapped: true });
    const exact = await client.getPage('salesorders', { count: true });
    expect(exact).to.include({ count: 4999, countCapped: false });
    const uncounted = await client.getPage('salesorders');
    expect(uncounted).to.include({ count: null, countCapped: false });
  });

  it('iterates every row across pages', async () => {
    const server = new ScriptedServer();
    const link = (n: number) => `${server.origin}${API}salesorders?$select=name&$skiptoken=page${n}`;
    server.on('GET', `${API}salesorders`, () => server.collection([{ name: 'a' }, { name: 'b' }], { '@odata.nextLink': link(2) }));
    server.on('GET', /skiptoken=page2$/, () => server.collection([{ name: 'c' }], { '@odata.nextLink': link(3) }));
    server.on('GET', /skiptoken=page3$/, () => server.collection([{ name: 'd' }]));
    const names: string[] = [];
    for await (const row of dataverse(server).rows<{ name: string }>('salesorders', { select: ['name'] }, { maxPageSize: 2 })) {
      names.push(row.name);
    }
    expect(names).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(server.requests.map((r) => r.header('Prefer'))).to.deep.equal(Array(3).fill('odata.include-annotations="*",odata.maxpagesize=2'));
    expect(server.unexpected).to.have.length(0);
  });

  it('refuses to follow a nextLink to another origin (the token would leak)', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders`, () => server.collection([], { '@odata.nextLink': 'https://evil.example/api/data/v9.2/salesorders?$skiptoken=1' }));
    const client = dataverse(server);
    const page = await client.getPage('salesorders');
    const error = await client.getNextPage(page).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'validation', code: 'ForeignOrigin' });
    expect(server.requests).to.have.length(1);
  });

  it('refuses a GET URL longer than Dataverse accepts, before sending', async () => {
    const server = new ScriptedServer();
    const ids = Array.from({ length: 500 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const error = await dataverse(server)
      .getPage('salesorders', { filter: where.lookupOneOf('customerid', ids) })
      .then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'validation', code: 'UrlTooLong' });
    expect(server.requests).to.have.length(0);
  });
});

describe('client reads: rows and annotations', () => {
  it('decodes formatted values, lookups and the ETag with typed helpers', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders(${ORDER_ID})`, (r) => {
      expect(r.option('$select')).to.equal('name,totalamount,statuscode,_customerid_value');
      return server.json({ '@odata.context': `${server.origin}${API}$metadata#salesorders/$entity`, ...annotatedOrder });
    });
    const order: Row<SalesOrder> = await dataverse(server).getRow<SalesOrder>('salesorders', ORDER_ID, {
      select: ['name', 'totalamount', 'statuscode', '_customerid_value'],
    });
    expect(order.name).to.equal('Order for Contoso');
    expect(formatted(order, 'statuscode')).to.equal('In Progress');
    expect(formatted(order, 'totalamount')).to.equal('$1,250.00');
    expect(formatted(order, 'customerid')).to.equal('Contoso Ltd');
    expect(formatted(order, 'name')).to.equal(null);
    expect(lookupOf(order, 'customerid')).to.deep.equal({
      id: ACCOUNT_ID,
      name: 'Contoso Ltd',
      table: 'account',
      navigation: 'customerid_account',
    });
    expect(etagOf(order)).to.equal('W/"81052965"');
    expect(Object.keys(valuesOf(order)).every((key) => !key.includes('@'))).to.equal(true);
  });

  it('returns null for an empty lookup and for rows read without annotations', () => {
    const row = { _customerid_value: null, statuscode: 1 } as Row<SalesOrder>;
    expect(lookupOf(row, 'customerid')).to.equal(null);
    expect(formatted(row, 'statuscode')).to.equal(null);
    expect(etagOf(row)).to.equal(null);
    const bare = { _customerid_value: ACCOUNT_ID } as Row<SalesOrder>;
    expect(lookupOf(bare, 'customerid')).to.deep.equal({ id: ACCOUNT_ID, name: null, table: null, navigation: null });
  });

  it('getRow throws not-found; findRow returns null', async () => {
    const server = new ScriptedServer();
    const missing = () => server.error(404, '0x80040217', `salesorder With Id = ${ORDER_ID} Does Not Exist`);
    server.on('GET', `${API}salesorders(${ORDER_ID})`, missing, { times: 2 });
    const client = dataverse(server);
    const error = await client.getRow('salesorders', ORDER_ID).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'not-found', status: 404, code: '0x80040217', message: `salesorder With Id = ${ORDER_ID} Does Not Exist` });
    expect(error.request).to.deep.equal({ method: 'GET', url: `${server.origin}${API}salesorders(${ORDER_ID})` });
    expect(await client.findRow('salesorders', ORDER_ID)).to.equal(null);
  });
});

describe('client configuration', () => {
  it('derives the API base from an org URL and keeps a proxy path', () => {
    const fetch = new ScriptedServer().fetch;
    expect(createDataverseClient({ transport: 'dataverse', url: 'https://contoso.crm4.dynamics.com', fetch }).baseUrl).to.equal(
      'https://contoso.crm4.dynamics.com/api/data/v9.2/',
    );
    expect(createDataverseClient({ transport: 'dataverse', url: '/dataverse/api/data/v9.2', fetch }).baseUrl).to.equal(
      `${location.origin}/dataverse/api/data/v9.2/`,
    );
    expect(createDataverseClient({ transport: 'power-pages', siteUrl: 'https://portal.contoso.com/en-US/orders', fetch }).baseUrl).to.equal(
      'https://portal.contoso.com/_api/',
    );
    expect(createDataverseClient({ transport: 'power-pages', fetch }).baseUrl).to.equal(`${location.origin}/_api/`);
  });

  it('refuses bad configuration at creation', () => {
    expect(() => createDataverseClient({ transport: 'dataverse', url: '' })).to.throw(DataverseError);
    expect(() => createDataverseClient({ transport: 'nope' } as never)).to.throw(DataverseError);
    expect(() => createDataverseClient({ transport: 'dataverse', url: 'https://x.crm.dynamics.com', maxPageSize: 0 })).to.throw(DataverseError);
  });
});

describe('typed queries', () => {
  it('checks columns against the row type, and accepts anything for untyped rows', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}salesorders`, () => server.collection([annotatedOrder]));
    const client = dataverse(server);
    // Untyped: any identifiers (validated at run time).
    await client.getPage('salesorders', { select: ['name'], orderBy: { createdon: 'desc' }, filter: where.eq('statecode', 0) });
    // Typed: names come from SalesOrder.
    const page = await client.getPage<SalesOrder>('salesorders', {
      select: ['name', '_customerid_value'],
      orderBy: { name: 'asc', 'customerid_account/name': 'desc' },
    });
    const first = page.rows[0]!;
    expect(lookupOf(first, 'customerid')?.name).to.equal('Contoso Ltd');
    // @ts-expect-error — 'nosuchcolumn' is not a column of SalesOrder
    await client.getPage<SalesOrder>('salesorders', { select: ['nosuchcolumn'] }).catch(() => undefined);
    // @ts-expect-error — 'name' is not a lookup of SalesOrder
    expect(lookupOf(first, 'name')).to.equal(null);
    // @ts-expect-error — 'nosuchcolumn' is not a column of SalesOrder
    expect(formatted(first, 'nosuchcolumn')).to.equal(null);
    expect(server.requests[1]!.option('$orderby')).to.equal('name,customerid_account/name desc');
  });
});
