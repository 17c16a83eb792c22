/**
 * The table declarations in src/tables/ against the column reference built from Microsoft's documentation
 * (a copy of shared/reference/dataverse-columns.json in fixtures/): names, types, lookup targets, navigation
 * properties, choice values, read-only flags, and what the reference marks as guessed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  lineStatusLabels,
  onHoldStatusLabels,
  processingStatusLabels,
  tableBySet,
  tables,
  type ColumnDef,
  type ColumnType,
  type TableDef,
} from '../../src/tables/index.js';
import { systemColumns } from '../../src/tables/columns.js';

interface RefColumn {
  type: string;
  targets?: string[];
  nav?: string | Record<string, string> | null;
  navUnconfirmed?: boolean;
  navCandidates?: string[];
  options?: Record<string, string>;
  readOnly?: boolean;
  typeGuessed?: boolean;
  targetsGuessed?: boolean;
}
interface RefTable {
  entitySet: string;
  primaryKey: string;
  primaryName: string | null;
  primaryKeyGuessed?: boolean;
  primaryNameGuessed?: boolean;
  columns: Record<string, RefColumn>;
  collections: Record<string, string>;
}

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/dataverse-columns.json', import.meta.url), 'utf8'),
) as Record<string, RefTable>;

/**
 * Tables declared on purpose although the reference has no page for them; every column of theirs must be
 * `unconfirmed`.
 */
const notInReference = new Set(['msdyn_paymentterm', 'msdyn_party']);

/** Columns every Dataverse table has; the reference omits them for tables without a reference page. */
const systemColumnNames = new Set(Object.keys(systemColumns));

const typeOf: Record<string, ColumnType> = {
  Uniqueidentifier: 'uniqueidentifier', String: 'string', Memo: 'memo', Integer: 'integer', BigInt: 'bigint',
  Decimal: 'decimal', Double: 'double', Money: 'money', Boolean: 'boolean', DateTime: 'datetime',
  Picklist: 'picklist', State: 'state', Status: 'status', Lookup: 'lookup', Customer: 'customer', Owner: 'owner',
};

const allTables = Object.entries(tables) as [string, TableDef][];
const columnsOf = (t: TableDef) => Object.entries(t.columns) as [string, ColumnDef][];

describe('table registry', () => {
  it('keys every table by its logical name and by its entity set', () => {
    assert.ok(allTables.length >= 14);
    for (const [name, table] of allTables) {
      assert.equal(table.logicalName, name);
      assert.equal((tableBySet as Record<string, TableDef>)[table.entitySet], table, `tableBySet.${table.entitySet}`);
    }
    assert.equal(Object.keys(tableBySet).length, allTables.length);
  });

  it('declares the tables the portal and dual-write need', () => {
    for (const name of ['salesorder', 'salesorderdetail', 'account', 'contact', 'product', 'uom', 'uomschedule',
      'transactioncurrency', 'pricelevel', 'productpricelevel', 'invoice', 'invoicedetail', 'cdm_company',
      'msdyn_partypostaladdress', 'msdyn_postaladdress', 'msdyn_postaladdresscollection']) {
      assert.ok(name in tables, name);
    }
  });

  it('enables change tracking on orders, lines, invoices and accounts', () => {
    for (const name of ['salesorder', 'salesorderdetail', 'invoice', 'account'] as const) {
      assert.equal(tables[name].changeTracking, true, name);
    }
  });

  it('keeps the tables small enough to bundle', () => {
    for (const [name, table] of allTables) {
      assert.ok(Object.keys(table.columns).length <= 50, `${name} has ${Object.keys(table.columns).length} columns`);
    }
  });
});

describe('tables against the column reference', () => {
  for (const [name, table] of allTables) {
    const ref = reference[name];
    describe(name, () => {
      it('is in the reference, or deliberately added with every column unconfirmed', () => {
        if (ref) return;
        assert.ok(notInReference.has(name), `${name} is not in the reference`);
        for (const [col, def] of columnsOf(table)) {
          if (!systemColumnNames.has(col)) assert.equal(def.unconfirmed, true, `${name}.${col} must be unconfirmed`);
        }
      });

      if (!ref) return;

      it('has the entity set, primary key and primary name of the reference', () => {
        assert.equal(table.entitySet, ref.entitySet);
        assert.equal(table.primaryKey, ref.primaryKey);
        if (ref.primaryName) assert.equal(table.primaryName, ref.primaryName);
        const pk = table.columns[table.primaryKey];
        assert.ok(pk, 'primary key declared');
        assert.equal(pk.type, 'uniqueidentifier');
        if (ref.primaryKeyGuessed) assert.equal(pk.unconfirmed, true, 'guessed primary key is unconfirmed');
        // The primary name is a declared text column, unless the reference does not list it either.
        if (ref.primaryName === null || ref.columns[table.primaryName] || table.columns[table.primaryName]) {
          const primaryName = table.columns[table.primaryName];
          assert.ok(primaryName, `primary name ${table.primaryName} declared`);
          assert.equal(primaryName.type, 'string');
        }
      });

      it('declares only columns of the reference (or the system columns every table has)', () => {
        for (const [col] of columnsOf(table)) {
          // The reference names some primary keys without listing them among the columns.
          const known = ref.columns[col] || systemColumnNames.has(col) || col === ref.primaryKey;
          assert.ok(known, `${name}.${col} is not in the reference`);
        }
      });

      it('declares the reference types, targets and read-only flags', () => {
        for (const [col, def] of columnsOf(table)) {
          const r = ref.columns[col];
          if (!r) continue;
          assert.equal(def.type, typeOf[r.type], `${name}.${col} type`);
          if (r.targets) assert.deepEqual([...(def.targets ?? [])].sort(), [...r.targets].sort(), `${name}.${col} targets`);
          if (r.readOnly) assert.equal(def.readOnly, true, `${name}.${col} is read-only in Dataverse`);
        }
      });

      it('marks what the reference only guesses as unconfirmed', () => {
        for (const [col, def] of columnsOf(table)) {
          const r = ref.columns[col];
          if (!r) continue;
          const guessed = r.typeGuessed || r.targetsGuessed || (r.nav === null && r.navUnconfirmed);
          if (guessed) assert.equal(def.unconfirmed, true, `${name}.${col} is guessed in the reference`);
        }
      });

      it('uses the reference navigation property names (or a documented candidate)', () => {
        for (const [col, def] of columnsOf(table)) {
          const r = ref.columns[col];
          if (!r || !['lookup', 'customer', 'owner'].includes(def.type)) continue;
          assert.ok(def.navigation, `${name}.${col} has navigation`);
          assert.deepEqual(Object.keys(def.navigation).sort(), [...(def.targets ?? [])].sort(), `${name}.${col} nav per target`);
          if (typeof r.nav === 'string') {
            assert.equal(def.targets?.length, 1);
            assert.equal(def.navigation[def.targets![0]!], r.nav, `${name}.${col} nav`);
          } else if (r.nav && typeof r.nav === 'object') {
            assert.deepEqual({ ...def.navigation }, r.nav, `${name}.${col} nav`);
          } else {
            assert.equal(def.unconfirmed, true, `${name}.${col}: undocumented nav must be unconfirmed`);
            if (r.navCandidates) {
              for (const nav of Object.values(def.navigation)) {
                assert.ok(r.navCandidates.includes(nav), `${name}.${col} nav ${nav} not among ${r.navCandidates}`);
              }
            }
          }
        }
      });

      it('declares only choice values of the reference', () => {
        for (const [col, def] of columnsOf(table)) {
          const r = ref.columns[col];
          if (!r || !['picklist', 'state', 'status'].includes(def.type)) continue;
          assert.ok(def.options && Object.keys(def.options).length > 0, `${name}.${col} has options`);
          if (!r.options) continue;
          for (const value of Object.keys(def.options)) {
            assert.ok(value in r.options, `${name}.${col} value ${value} is not in the reference`);
          }
        }
      });

      it('declares collections of the reference whose referencing column points back here', () => {
        for (const [nav, collection] of Object.entries(table.collections)) {
          assert.equal(ref.collections[nav], collection.table, `${name}.${nav}`);
          const related = (tables as Record<string, TableDef>)[collection.table];
          assert.ok(related, `${name}.${nav}: ${collection.table} is declared`);
          const back = related.columns[collection.referencingColumn];
          assert.ok(back, `${collection.table}.${collection.referencingColumn} is declared`);
          assert.ok(back.targets?.includes(name), `${collection.table}.${collection.referencingColumn} targets ${name}`);
        }
      });
    });
  }
});

describe('declarations hang together', () => {
  it('points every lookup at declared tables', () => {
    for (const [name, table] of allTables) {
      for (const [col, def] of columnsOf(table)) {
        if (!['lookup', 'customer', 'owner'].includes(def.type)) continue;
        assert.ok(def.targets && def.targets.length > 0, `${name}.${col} targets`);
        for (const target of def.targets) assert.ok(target in tables, `${name}.${col} → ${target} is not declared`);
      }
    }
  });

  it('gives choice labels in readable English, not enum names', () => {
    for (const [name, table] of allTables) {
      for (const [col, def] of columnsOf(table)) {
        for (const label of Object.values(def.options ?? {})) {
          if (col === 'msdyn_language') continue; // labels are SCM language ids (`en-us`)
          assert.doesNotMatch(label, /^[a-z]+[A-Z]/, `${name}.${col}: "${label}"`);
          assert.match(label, /^[A-Z]/, `${name}.${col}: "${label}"`);
        }
      }
    }
  });

  it('declares every value of the SCM choices the portal relies on', () => {
    const full = (table: string, col: string, labels: Record<number, string>) => {
      assert.deepEqual(Object.keys(labels).sort(), Object.keys(reference[table]!.columns[col]!.options!).sort(), `${table}.${col}`);
    };
    full('salesorder', 'msdyn_processingstatus', processingStatusLabels);
    full('salesorderdetail', 'msdyn_linestatus', lineStatusLabels);
    full('account', 'msdyn_onholdstatus', onHoldStatusLabels);
    assert.equal(tables.salesorder.columns.msdyn_processingstatus.options, processingStatusLabels);
    assert.equal(processingStatusLabels[192350003], 'Partially delivered');
    assert.deepEqual(Object.keys(tables.salesorder.columns.msdyn_language.options).sort(),
      Object.keys(reference.salesorder!.columns.msdyn_language!.options!).sort());
  });

  it('requires what dual-write needs on a new order and line', () => {
    for (const col of ['msdyn_company', 'name', 'transactioncurrencyid', 'pricelevelid', 'shipto_country', 'customerid',
      'msdyn_language', 'msdyn_deliveryaddressdescription', 'msdyn_ordertype'] as const) {
      assert.equal(tables.salesorder.columns[col].required, true, `salesorder.${col}`);
    }
    for (const col of ['productid', 'quantity', 'uomid', 'shipto_country', 'msdyn_deliveryaddressdescription'] as const) {
      assert.equal(tables.salesorderdetail.columns[col].required, true, `salesorderdetail.${col}`);
    }
  });
});
