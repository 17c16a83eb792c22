import { expect } from '@open-wc/testing';
import { createDataverseClient, where, type ChangeRound } from '../../../src/dataverse/index.js';
import { ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';
const A = '60c4e274-0d87-e711-80e5-00155db19e6d';
const B = '2e451703-c686-e711-80e5-00155db19e6d';
const C = '7d577253-3ef0-4a0a-bb7f-8335c2596e70';

function dataverse(server: ScriptedServer, clock = new VirtualClock()) {
  return createDataverseClient({
    transport: 'dataverse',
    url: `${server.origin}${API}`,
    token: async () => 'token',
    fetch: server.fetch,
    clock,
  });
}

const delta = (server: ScriptedServer, token: string) =>
  `${server.origin}${API}salesorders?$select=name,statuscode&$deltatoken=${encodeURIComponent(token)}`;

const deletedEntity = (server: ScriptedServer, id: string) => ({
  '@odata.context': `${server.origin}${API}$metadata#salesorders/$deletedEntity`,
  id,
  reason: 'deleted',
});

describe('change tracking', () => {
  it('starts with Prefer: odata.track-changes, reads every page, and returns the delta link', async () => {
    const server = new ScriptedServer();
    const next = `${server.origin}${API}salesorders?$select=name,statuscode&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E`;
    server.on('GET', `${API}salesorders`, (r) => {
      expect(r.option('$select')).to.equal('name,statuscode');
      expect(r.header('Prefer')).to.equal('odata.include-annotations="*",odata.maxpagesize=1,odata.track-changes');
      return server.collection([{ '@odata.etag': 'W/"915244"', name: 'One', salesorderid: A }], { '@odata.nextLink': next });
    });
    server.on('GET', /skiptoken/, (r) => {
      expect(r.url.href).to.equal(next);
      // Every page of the initial sync asks for tracking, so the last one carries the delta link.
      expect(r.header('Prefer')).to.equal('odata.include-annotations="*",odata.maxpagesize=1,odata.track-changes');
      return server.json(
        {
          '@odata.context': `${server.origin}${API}$metadata#salesorders(name,statuscode)`,
          '@odata.deltaLink': delta(server, '919042!08/22/2017 08:10:44'),
          value: [{ '@odata.etag': 'W/"915245"', name: 'Two', salesorderid: B }],
        },
        200,
        { 'Preference-Applied': 'odata.track-changes' },
      );
    });
    const start = await dataverse(server).trackChanges<{ name: string; statuscode: number }>('salesorders', { select: ['name', 'statuscode'] }, { maxPageSize: 1 });
    expect(start.changed.map((r) => r.name)).to.deep.equal(['One', 'Two']);
    expect(start.deleted).to.deep.equal([]);
    expect(start.deltaLink).to.equal(delta(server, '919042!08/22/2017 08:10:44'));
  });

  it('follows the delta link: changed rows and deleted ids, and a new delta link', async () => {
    const server = new ScriptedServer();
    const first = delta(server, '919042!08/22/2017 08:10:44');
    server.on('GET', `${API}salesorders`, (r) => {
      expect(r.url.href).to.equal(first);
      expect(r.header('Prefer')).to.equal('odata.include-annotations="*"'); // no track-changes on delta links
      return server.json({
        '@odata.context': `${server.origin}/data/v9.0/$metadata#salesorders(name,statuscode)/$delta`,
        '@odata.deltaLink': delta(server, '919058!08/22/2017 08:21:20'),
        value: [
          { '@odata.etag': 'W/"915244"', name: 'Changed', salesorderid: A },
          deletedEntity(server, B.toUpperCase()),
          deletedEntity(server, C),
        ],
      });
    });
    const changes = await dataverse(server).changesSince<{ name: string }>(first);
    expect(changes.changed.map((r) => r.name)).to.deep.equal(['Changed']);
    expect(changes.deleted).to.deep.equal([B, C]);
    expect(changes.deltaLink).to.equal(delta(server, '919058!08/22/2017 08:21:20'));
  });

  it('polls with watchChanges: every row first, then each round\'s changes, until aborted', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders`, () => server.collection([{ name: 'One', salesorderid: A }], { '@odata.deltaLink': delta(server, 't1') }));
    server.on('GET', /deltatoken=t1$/, () => server.collection([], { '@odata.deltaLink': delta(server, 't2') }));
    server.on('GET', /deltatoken=t2$/, () => server.collection([deletedEntity(server, A)], { '@odata.deltaLink': delta(server, 't3') }));
    const clock = new VirtualClock();
    const controller = new AbortController();
    const rounds: Array<ChangeRound<{ name: string }>> = [];
    const loop = (async () => {
      for await (const round of dataverse(server, clock).watchChanges<{ name: string }>('salesorders', { select: ['name'] }, {
        intervalMs: 60_000,
        signal: controller.signal,
      })) {
        rounds.push(round);
        if (rounds.length === 3) controller.abort();
      }
    })().then(resolvedUnexpectedly, (e: unknown) => e);
    const error = (await loop) as DOMException;
    expect(error.name).to.equal('AbortError');
    expect(rounds.map((r) => [r.initial, r.changed.length, r.deleted])).to.deep.equal([
      [true, 1, []],
      [false, 0, []],
      [false, 0, [A]],
    ]);
    expect(clock.sleeps).to.deep.equal([60_000, 60_000, 60_000]);
    expect(server.requests).to.have.length(3);
  });

  it('resumes from a saved delta link', async () => {
    const server = new ScriptedServer();
    server.on('GET', /deltatoken=saved$/, () => server.collection([], { '@odata.deltaLink': delta(server, 'next') }));
    const iterator = dataverse(server).watchChanges('salesorders', {}, { deltaLink: delta(server, 'saved') });
    const first = await iterator.next();
    await iterator.return();
    expect(first.value).to.include({ initial: false, deltaLink: delta(server, 'next') });
  });

  it('refuses options Dataverse rejects while tracking, and reports a table without change tracking', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}salesorders`, () => server.collection([]));
    const client = dataverse(server);
    const refused = await client
      .trackChanges('salesorders', { select: ['name'], filter: where.eq('statecode', 0) } as never)
      .then(resolvedUnexpectedly, asDataverseError);
    expect(refused).to.include({ kind: 'validation', code: 'InvalidQuery' });
    expect(server.requests).to.have.length(0);
    const missing = await client.trackChanges('salesorders', { select: ['name'] }).then(resolvedUnexpectedly, asDataverseError);
    expect(missing).to.include({ kind: 'server', code: 'ChangeTrackingUnavailable' });
  });
});
