/**
 * The Power Pages set-up the elements need, generated from the code so that it cannot drift:
 *
 * - the `Webapi/<table>/enabled` and `Webapi/<table>/fields` site settings, with exactly the columns the domain
 *   services (`src/portal/`) read and write — taken from the `…_COLUMNS` constants each service module exports
 *   (built from the `$select` lists, filters and sort orders it sends) and from the body `submitOrder` writes;
 * - the table permissions per web role, from `src/emulator/permissions.ts` (`TABLE_PERMISSIONS`), the rules the
 *   emulator enforces.
 *
 * `scripts/power-pages-settings.mjs` prints them (Markdown checklist or JSON) and writes the checklist into
 * `docs/power-pages.md`; `test/node/power-pages-settings.test.ts` runs the services against an emulator configured
 * with exactly these settings and checks every request against them.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { TABLE_PERMISSIONS, type Privilege, type TablePermission, type WebApiTableSetting } from '../../src/emulator/permissions.js';
import { ACCOUNT_SUMMARY_COLUMNS, DELIVERY_ADDRESS_COLUMNS } from '../../src/portal/accounts.js';
import { ORDER_ADDRESS_COLUMNS } from '../../src/portal/addresses.js';
import type { TableColumns } from '../../src/portal/columns.js';
import { ORDER_DETAIL_COLUMNS } from '../../src/portal/order-detail.js';
import { ORDER_LIST_COLUMNS } from '../../src/portal/orders.js';
import { PRODUCT_COLUMNS } from '../../src/portal/products.js';
import { SESSION_COLUMNS, powerPagesRoleNames } from '../../src/portal/session-service.js';
import type { PortalSession } from '../../src/portal/session.js';
import * as submitModule from '../../src/portal/submit-order.js';
import { tables } from '../../src/tables/index.js';
import type { WebRole } from '../../src/tables/roles.js';
import type { TableDef } from '../../src/tables/schema.js';

// ---------------------------------------------------------------------------------------------------------------
// Where the columns come from
// ---------------------------------------------------------------------------------------------------------------

/** One list of columns a service uses, and where it is declared. */
export interface ColumnSource {
  /** The exported constant (`ORDER_LIST_COLUMNS`) or function (`orderBody()`) the columns come from. */
  readonly name: string;
  /** The module that declares it. */
  readonly module: string;
  /** `read` ($select, $filter, $orderby, $apply) or `write` (create bodies). */
  readonly use: 'read' | 'write';
  readonly columns: TableColumns;
}

/**
 * An order with every optional field filled in, so that {@link submitModule.orderBody} writes every column it can
 * write (it leaves out what is empty). The ids are placeholders; nothing is sent anywhere.
 */
function sampleOrderBody(): Record<string, unknown> {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const session: PortalSession = {
    contact: { id: id(1), name: 'Sample Contact', email: 'contact@example.com' },
    account: { id: id(2), name: 'Sample Account', number: 'US-001' },
    company: { id: id(3), name: 'Sample Company', code: 'USMF' },
    currency: { id: id(4), code: 'USD', symbol: '$' },
    priceList: { id: id(5), name: 'Sample Price List' },
    language: 1033,
    roles: ['authorized-user'],
  };
  return submitModule.orderBody(session, {
    id: id(6),
    requestedReceiptDate: '2026-12-01',
    delivery: {
      description: 'Main warehouse',
      shipToName: 'Sample Account',
      name: 'Main warehouse',
      street: ['1 Sample Street', 'Building 2'],
      city: 'Sampleton',
      stateOrProvince: 'WA',
      postalCode: '98052',
      country: 'USA',
    },
    customerReference: 'PO-1',
    requisitionNumber: 'REQ-1',
    lines: [{ productId: id(7), unitId: id(8), quantity: 1 }],
  }) as Record<string, unknown>;
}

/**
 * The columns a create body writes, by table: plain keys are columns, `<navigation>@odata.bind` keys are the lookup
 * behind the navigation property, and a collection-valued navigation property holds rows of the related table
 * (deep insert), read the same way.
 */
export function writtenColumns(table: TableDef, body: Record<string, unknown>, into: Map<string, Set<string>> = new Map()): Map<string, Set<string>> {
  const add = (logicalName: string, column: string) => {
    let set = into.get(logicalName);
    if (!set) into.set(logicalName, (set = new Set()));
    set.add(column);
  };
  for (const [key, value] of Object.entries(body)) {
    const bind = /^(.+)@odata\.bind$/.exec(key);
    if (bind) {
      const column = lookupOfNavigation(table, bind[1]!);
      if (!column) throw new Error(`${table.logicalName}: no lookup column has the navigation property ${bind[1]}`);
      add(table.logicalName, column);
      continue;
    }
    if (key.includes('@')) continue; // an annotation, not a column
    const collection = Object.prototype.hasOwnProperty.call(table.collections, key) ? table.collections[key]! : undefined;
    if (collection) {
      const related = tableNamed(collection.table);
      for (const row of Array.isArray(value) ? value : []) writtenColumns(related, row as Record<string, unknown>, into);
      continue;
    }
    add(table.logicalName, key);
  }
  return into;
}

function lookupOfNavigation(table: TableDef, navigation: string): string | undefined {
  for (const [column, def] of Object.entries(table.columns)) {
    if (def.navigation && Object.values(def.navigation).includes(navigation)) return column;
  }
  return undefined;
}

function tableNamed(logicalName: string): TableDef {
  const table = (tables as Readonly<Record<string, TableDef>>)[logicalName];
  if (!table) throw new Error(`Unknown table ${logicalName}: declare it in src/tables/`);
  return table;
}

function columnsOfMap(map: Map<string, Set<string>>): TableColumns {
  return Object.fromEntries([...map].map(([table, set]) => [table, [...set]]));
}

/** Every list of columns the services use, with where it comes from. */
export function columnSources(): ColumnSource[] {
  const salesorder = tableNamed('salesorder');
  return [
    { name: 'SESSION_COLUMNS', module: 'src/portal/session-service.ts', use: 'read', columns: SESSION_COLUMNS },
    { name: 'ORDER_LIST_COLUMNS', module: 'src/portal/orders.ts', use: 'read', columns: ORDER_LIST_COLUMNS },
    { name: 'ORDER_DETAIL_COLUMNS', module: 'src/portal/order-detail.ts', use: 'read', columns: ORDER_DETAIL_COLUMNS },
    { name: 'ACCOUNT_SUMMARY_COLUMNS', module: 'src/portal/accounts.ts', use: 'read', columns: ACCOUNT_SUMMARY_COLUMNS },
    { name: 'DELIVERY_ADDRESS_COLUMNS', module: 'src/portal/accounts.ts', use: 'read', columns: DELIVERY_ADDRESS_COLUMNS },
    { name: 'PRODUCT_COLUMNS', module: 'src/portal/products.ts', use: 'read', columns: PRODUCT_COLUMNS },
    { name: 'ORDER_ADDRESS_COLUMNS', module: 'src/portal/addresses.ts', use: 'read', columns: ORDER_ADDRESS_COLUMNS },
    { name: 'ORDER_SUBMIT_COLUMNS', module: 'src/portal/submit-order.ts', use: 'read', columns: submitModule.ORDER_SUBMIT_COLUMNS },
    {
      name: 'orderBody()',
      module: 'src/portal/submit-order.ts',
      use: 'write',
      // The safe create sends the client-chosen id in the primary key column (`createSafely` with `primaryKey`).
      columns: columnsOfMap(writtenColumns(salesorder, { [salesorder.primaryKey]: 'id', ...sampleOrderBody() })),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Site settings
// ---------------------------------------------------------------------------------------------------------------

/**
 * The column logical name behind a name a service uses: `_customerid_value` → `customerid` (a lookup's read name),
 * anything else unchanged. Throws for a column the table does not declare, so a typo fails here, not on a site.
 */
export function fieldNameOf(table: TableDef, name: string): string {
  const lookup = /^_(.+)_value$/.exec(name)?.[1];
  const column = lookup ?? name;
  const declared = column === table.primaryKey || Object.prototype.hasOwnProperty.call(table.columns, column);
  if (!declared) throw new Error(`${table.logicalName} has no column ${column} (used as ${name}): declare it in src/tables/${table.logicalName}.ts`);
  if (lookup) {
    const type = table.columns[column]?.type;
    if (type !== 'lookup' && type !== 'customer' && type !== 'owner') throw new Error(`${table.logicalName}.${column} is not a lookup (used as ${name})`);
  }
  return column;
}

/** One table's Web API site settings, with the sources that need each column. */
export interface TableFields {
  readonly table: string;
  /** Column logical names, sorted. */
  readonly fields: readonly string[];
  /** The sources (constant names) that use the table. */
  readonly usedBy: readonly string[];
  /** True when some source writes to the table. */
  readonly written: boolean;
}

/** The tables the services use with their fields, sorted by table name. */
export function tableFields(sources: readonly ColumnSource[] = columnSources()): TableFields[] {
  const byTable = new Map<string, { fields: Set<string>; usedBy: Set<string>; written: boolean }>();
  for (const source of sources) {
    for (const [logicalName, columns] of Object.entries(source.columns)) {
      const table = tableNamed(logicalName);
      let entry = byTable.get(logicalName);
      if (!entry) byTable.set(logicalName, (entry = { fields: new Set(), usedBy: new Set(), written: false }));
      for (const column of columns) entry.fields.add(fieldNameOf(table, column));
      entry.usedBy.add(source.name);
      if (source.use === 'write') entry.written = true;
    }
  }
  return [...byTable]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, entry]) => ({ table, fields: [...entry.fields].sort(), usedBy: [...entry.usedBy], written: entry.written }));
}

/** The site settings as the emulator takes them (`new Emulator({ siteSettings })`). */
export function webApiSiteSettings(fields: readonly TableFields[] = tableFields()): Record<string, WebApiTableSetting> {
  return Object.fromEntries(fields.map((entry) => [entry.table, { enabled: true, fields: entry.fields }]));
}

/** The site settings as name/value pairs, as they are typed into Power Pages. */
export function siteSettingRecords(fields: readonly TableFields[] = tableFields()): { name: string; value: string }[] {
  return fields.flatMap((entry) => [
    { name: `Webapi/${entry.table}/enabled`, value: 'true' },
    { name: `Webapi/${entry.table}/fields`, value: entry.fields.join(',') },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Table permissions and web roles
// ---------------------------------------------------------------------------------------------------------------

/** Display names of the tables, as the Power Pages table permission form lists them. */
const TABLE_DISPLAY_NAMES: Readonly<Record<string, string>> = {
  account: 'Account',
  contact: 'Contact',
  salesorder: 'Order',
  salesorderdetail: 'Order Product',
  invoice: 'Invoice',
  invoicedetail: 'Invoice Product',
  product: 'Product',
  uom: 'Unit',
  uomschedule: 'Unit Group',
  pricelevel: 'Price List',
  productpricelevel: 'Price List Item',
  transactioncurrency: 'Currency',
  cdm_company: 'Company',
  msdyn_paymentterm: 'Terms of payment',
  msdyn_party: 'Party',
  msdyn_partypostaladdress: 'Party postal address',
  msdyn_postaladdresscollection: 'Postal address location',
  msdyn_postaladdress: 'Postal address',
};

const ACCESS_TYPE_NAMES: Readonly<Record<TablePermission['access'], string>> = {
  global: 'Global access',
  contact: 'Contact access',
  account: 'Account access',
  self: 'Self access',
  parent: 'Parent access',
};

const PRIVILEGE_NAMES: Readonly<Record<Privilege, string>> = {
  read: 'Read',
  write: 'Write',
  create: 'Create',
  delete: 'Delete',
  append: 'Append',
  appendTo: 'Append to',
};

/** The web roles the permissions are joined to, in the order of the Customer portal template. */
const ROLE_ORDER: readonly WebRole[] = ['administrator', 'customer-representative', 'authorized-user', 'unauthorized-user'];

/** A web role with the names of its table permissions. */
export interface WebRoleEntry {
  readonly role: WebRole;
  /** The name in Power Pages (what `{{ user.roles }}` lists). */
  readonly name: string;
  readonly permissions: readonly string[];
}

/** Every web role of the Customer portal with its table permissions (a role without any has none). */
export function webRoles(permissions: readonly TablePermission[] = TABLE_PERMISSIONS): WebRoleEntry[] {
  return ROLE_ORDER.map((role) => ({
    role,
    name: powerPagesRoleNames[role],
    permissions: permissions.filter((p) => p.roles.includes(role)).map((p) => p.name),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------------

/** Everything the script prints with `--json`. */
export interface PowerPagesSettings {
  /** `Webapi/<table>/enabled` and `Webapi/<table>/fields`, two per table. */
  readonly siteSettings: readonly { readonly name: string; readonly value: string }[];
  /** The same per table, with the sources that use each table. */
  readonly tables: readonly TableFields[];
  /** The table permissions, exactly as the emulator enforces them (`TABLE_PERMISSIONS`). */
  readonly tablePermissions: readonly TablePermission[];
  readonly webRoles: readonly WebRoleEntry[];
}

/** The whole set-up, as data. */
export function powerPagesSettings(): PowerPagesSettings {
  const sources = columnSources();
  const fields = tableFields(sources);
  return {
    siteSettings: siteSettingRecords(fields),
    tables: fields,
    tablePermissions: TABLE_PERMISSIONS,
    webRoles: webRoles(),
  };
}

const code = (text: string) => `\`${text}\``;
const tableName = (table: string) => (TABLE_DISPLAY_NAMES[table] ? `${TABLE_DISPLAY_NAMES[table]} (${code(table)})` : code(table));
const roleNames = (roles: readonly WebRole[]) => roles.map((role) => powerPagesRoleNames[role]).join(', ');

/** How a permission's scope reaches its rows, in the terms of the Power Pages table permission form. */
function scopeText(permission: TablePermission): string {
  switch (permission.access) {
    case 'global':
      return 'every row';
    case 'self':
      return "the signed-in user's own contact row";
    case 'contact':
    case 'account': {
      const who = permission.access === 'contact' ? 'the signed-in contact' : "the signed-in contact's account";
      const via = permission.relationship ? `relationship ${code(permission.relationship)}` : `the table's own id`;
      return `rows whose ${code(permission.column ?? '')} is ${who} (${via})`;
    }
    case 'parent': {
      const parent = `parent permission **${permission.parent ?? ''}**`;
      if (permission.parentColumn) {
        const parentTable = TABLE_PERMISSIONS.find((p) => p.name === permission.parent)?.table ?? '';
        return `${parent}, relationship from ${code(`${parentTable}.${permission.parentColumn}`)}`;
      }
      const via = permission.relationship ? `relationship ${code(permission.relationship)}` : `the ${code(permission.column ?? '')} lookup`;
      return `${parent}, ${via} (column ${code(permission.column ?? '')})`;
    }
  }
}

/** The Markdown checklist: site settings, table permissions, web roles. */
export function renderMarkdown(settings: PowerPagesSettings = powerPagesSettings()): string {
  const lines: string[] = [];
  lines.push('#### Site settings');
  lines.push('');
  lines.push(
    'Two per table (**Set up → Site settings → + New**). The field lists are exactly the columns the elements read and write; lookups are listed by their column name (`customerid`, not `_customerid_value`).',
  );
  lines.push('');
  for (const entry of settings.tables) {
    lines.push(`- [ ] ${code(`Webapi/${entry.table}/enabled`)} = ${code('true')}`);
    lines.push(`- [ ] ${code(`Webapi/${entry.table}/fields`)} = ${code(entry.fields.join(','))}`);
    lines.push(`  - used by ${entry.usedBy.map(code).join(', ')}${entry.written ? ' (written on submit)' : ''}`);
  }
  lines.push('');
  lines.push('#### Table permissions');
  lines.push('');
  lines.push('One record per item (**Security → Table permissions → + New**), with its privileges and web roles.');
  lines.push('');
  for (const permission of settings.tablePermissions) {
    const table =
      permission.table === '*'
        ? 'every table of this checklist (Power Pages has no wildcard: one Global permission per table)'
        : tableName(permission.table);
    lines.push(`- [ ] **${permission.name}**`);
    lines.push(`  - Table: ${table}`);
    lines.push(`  - Access type: ${ACCESS_TYPE_NAMES[permission.access]}: ${scopeText(permission)}`);
    lines.push(`  - Privileges: ${permission.privileges.map((p) => PRIVILEGE_NAMES[p]).join(', ')}`);
    lines.push(`  - Web roles: ${roleNames(permission.roles)}`);
    if (permission.createRequires?.length) {
      const filled = permission.createRequires
        .map((r) => `${code(r.column)} = ${r.equals === 'contact' ? 'the signed-in contact' : 'their account'}`)
        .join(', ');
      lines.push(`  - On create the portal writes ${filled}.`);
    }
  }
  lines.push('');
  lines.push('#### Web roles');
  lines.push('');
  for (const role of settings.webRoles) {
    const joined = role.permissions.length ? role.permissions.map((p) => `**${p}**`).join(', ') : 'no table permission (public content only)';
    lines.push(`- [ ] **${role.name}**: ${joined}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The script's JSON output. */
export function renderJson(settings: PowerPagesSettings = powerPagesSettings()): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// The generated part of docs/power-pages.md
// ---------------------------------------------------------------------------------------------------------------

/** Where the checklist goes in the guide. */
export const DOC_PATH = 'docs/power-pages.md';
export const DOC_START = '<!-- power-pages-settings:start (generated by `npm run power-pages:settings -- --write-docs`; do not edit) -->';
export const DOC_END = '<!-- power-pages-settings:end -->';

/** `doc` with the text between the markers replaced by `markdown`. Throws when the markers are missing. */
export function withGeneratedBlock(doc: string, markdown: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`${DOC_PATH} must contain the markers\n${DOC_START}\n${DOC_END}`);
  return `${doc.slice(0, start + DOC_START.length)}\n\n${markdown}\n${doc.slice(end)}`;
}

/** True when the guide's generated block is what the code says now. */
export function docIsUpToDate(path: string = DOC_PATH, markdown: string = renderMarkdown()): boolean {
  const doc = readFileSync(path, 'utf8');
  return withGeneratedBlock(doc, markdown) === doc;
}

/** Writes the checklist into the guide; returns true when the file changed. */
export function writeDoc(path: string = DOC_PATH, markdown: string = renderMarkdown()): boolean {
  const doc = readFileSync(path, 'utf8');
  const next = withGeneratedBlock(doc, markdown);
  if (next === doc) return false;
  writeFileSync(path, next);
  return true;
}
