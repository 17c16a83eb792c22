/**
 * Enforcement of the table permissions declared in `permissions.ts`: which privileges a user has on a table,
 * whether a row is in scope, and the rows in scope (found through the store's indexes, not by scanning, when
 * the scope allows it).
 */
import type { Privilege, TablePermission } from './permissions.js';
import type { StoreReader } from './store.js';
import { isLookupValue, type SeedUser, type StoredRow, type StoredValue } from './types.js';

/** The id a lookup (or a GUID string) holds, lower-cased; `undefined` when empty. */
export function referencedId(value: StoredValue | undefined): string | undefined {
  if (isLookupValue(value)) return value.id.toLowerCase();
  if (typeof value === 'string' && value !== '') return value.toLowerCase();
  return undefined;
}

/** What a user's row scope on a table depends on (see {@link AccessControl.scopeOf}). */
export interface ScopeIdentity {
  /** Equal for two callers exactly when their rows in scope are the same rows. */
  readonly key: string;
  /** Logical names of the tables whose rows decide the scope. */
  readonly tables: readonly string[];
}

/** Primary key column of a table, by Dataverse's naming rule (`<logical name>id`). */
function primaryKeyOf(table: string): string {
  return `${table}id`;
}

/** Evaluates table permissions for users. Stateless apart from the permission list. */
export class AccessControl {
  private readonly byName = new Map<string, TablePermission>();

  constructor(readonly permissions: readonly TablePermission[]) {
    for (const permission of permissions) {
      if (this.byName.has(permission.name)) throw new Error(`Duplicate table permission name: ${permission.name}`);
      this.byName.set(permission.name, permission);
    }
    for (const permission of permissions) {
      if (permission.access === 'parent') {
        if (!permission.parent || !this.byName.has(permission.parent)) {
          throw new Error(`Table permission "${permission.name}" names an unknown parent "${permission.parent}".`);
        }
        if (!permission.column === !permission.parentColumn) {
          throw new Error(`Table permission "${permission.name}" needs exactly one of column / parentColumn.`);
        }
      }
      if ((permission.access === 'contact' || permission.access === 'account') && !permission.column) {
        throw new Error(`Table permission "${permission.name}" needs a column for ${permission.access} access.`);
      }
    }
  }

  /** The permissions granting `privilege` on `table` to `user` (none for a signed-out caller). */
  granting(user: SeedUser | undefined, table: string, privilege: Privilege): TablePermission[] {
    if (!user) return [];
    return this.permissions.filter(
      (p) =>
        (p.table === table || p.table === '*')
        && p.privileges.includes(privilege)
        && p.roles.some((role) => user.webRoles.includes(role)),
    );
  }

  /** Whether the user has `privilege` on `table` for at least some rows. */
  hasPrivilege(user: SeedUser | undefined, table: string, privilege: Privilege): boolean {
    return this.granting(user, table, privilege).length > 0;
  }

  /** Whether `row` of `table` is within a permission granting `privilege` to `user`. */
  allows(user: SeedUser | undefined, table: string, row: StoredRow, privilege: Privilege, store: StoreReader): boolean {
    if (!user) return false;
    return this.granting(user, table, privilege).some((p) => this.inScope(p, table, row, user, store, 0));
  }

  /**
   * Whether a just-written new row may be created: it must be in the scope of a permission granting Create,
   * and meet that permission's `createRequires`.
   */
  allowsCreate(user: SeedUser | undefined, table: string, row: StoredRow, store: StoreReader): boolean {
    if (!user) return false;
    return this.granting(user, table, 'create').some(
      (p) =>
        this.inScope(p, table, row, user, store, 0)
        && (p.createRequires ?? []).every(
          (requirement) =>
            referencedId(row[requirement.column])
            === (requirement.equals === 'contact' ? user.contactId : user.accountId).toLowerCase(),
        ),
    );
  }

  /**
   * The rows of `table` within the user's `privilege` scope. Global access yields every row; other scopes
   * are resolved through `findBy` (indexed lookups), from the user outwards.
   */
  rowsInScope(user: SeedUser | undefined, table: string, privilege: Privilege, store: StoreReader): Iterable<StoredRow> {
    const granting = this.granting(user, table, privilege);
    if (!user || granting.length === 0) return [];
    if (granting.some((p) => p.access === 'global')) return store.all(table);
    // One permission that is not a parent chain finds each row once: no need to de-duplicate.
    if (granting.length === 1 && granting[0].access !== 'parent') return this.candidates(granting[0], table, user, store, 0);
    const found = new Map<string, StoredRow>();
    const key = primaryKeyOf(table);
    for (const permission of granting) {
      for (const row of this.candidates(permission, table, user, store, 0)) {
        found.set(String(row[key]), row);
      }
    }
    return found.values();
  }

  /**
   * What the rows of `table` within the user's `privilege` scope ({@link rowsInScope}) depend on, for caching
   * them: a key that is the same exactly when two callers have the same scope (the granting permissions, and
   * the contact and account they start from), and the tables the scope reads (the table, and the tables of
   * its parent permissions). `undefined` when the user has no such privilege.
   */
  scopeOf(user: SeedUser | undefined, table: string, privilege: Privilege): ScopeIdentity | undefined {
    const granting = this.granting(user, table, privilege);
    if (!user || granting.length === 0) return undefined;
    if (granting.some((p) => p.access === 'global')) return { key: `${table}|${privilege}|global`, tables: [table] };
    const tables = new Set([table]);
    for (const permission of granting) {
      let current: TablePermission | undefined = permission;
      for (let depth = 0; current?.access === 'parent' && depth <= 10; depth++) {
        current = this.byName.get(current.parent!);
        if (current) tables.add(current.table);
      }
    }
    const names = granting.map((p) => p.name).join('\u0001');
    return {
      key: `${table}|${privilege}|${names}|${user.contactId.toLowerCase()}|${user.accountId.toLowerCase()}`,
      tables: [...tables],
    };
  }

  private inScope(
    permission: TablePermission,
    table: string,
    row: StoredRow,
    user: SeedUser,
    store: StoreReader,
    depth: number,
  ): boolean {
    if (depth > 10) return false; // a cycle in the declarations; refuse rather than loop
    switch (permission.access) {
      case 'global':
        return true;
      case 'contact':
        return referencedId(row[permission.column!]) === user.contactId.toLowerCase();
      case 'account':
        return referencedId(row[permission.column!]) === user.accountId.toLowerCase();
      case 'self':
        return referencedId(row[primaryKeyOf(table)]) === user.contactId.toLowerCase();
      case 'parent': {
        const parent = this.byName.get(permission.parent!)!;
        const parentTable = parent.table;
        if (permission.column) {
          const parentId = referencedId(row[permission.column]);
          const parentRow = parentId ? store.get(parentTable, parentId) : undefined;
          return parentRow !== undefined && this.inScope(parent, parentTable, parentRow, user, store, depth + 1);
        }
        // The parent points at this row: some parent row in scope must reference it.
        const id = referencedId(row[primaryKeyOf(table)]);
        if (!id) return false;
        return store
          .findBy(parentTable, permission.parentColumn!, id)
          .some((parentRow) => this.inScope(parent, parentTable, parentRow, user, store, depth + 1));
      }
    }
  }

  private candidates(
    permission: TablePermission,
    table: string,
    user: SeedUser,
    store: StoreReader,
    depth: number,
  ): Iterable<StoredRow> {
    if (depth > 10) return [];
    const one = (id: string): StoredRow[] => {
      const row = store.get(table, id);
      return row ? [row] : [];
    };
    switch (permission.access) {
      case 'global':
        return store.all(table);
      case 'contact':
      case 'account': {
        const id = (permission.access === 'contact' ? user.contactId : user.accountId).toLowerCase();
        return permission.column === primaryKeyOf(table) ? one(id) : store.findBy(table, permission.column!, id);
      }
      case 'self':
        return one(user.contactId.toLowerCase());
      case 'parent': {
        const parent = this.byName.get(permission.parent!)!;
        const parentRows = this.candidates(parent, parent.table, user, store, depth + 1);
        const rows: StoredRow[] = [];
        for (const parentRow of parentRows) {
          if (permission.column) {
            const parentId = referencedId(parentRow[primaryKeyOf(parent.table)]);
            if (parentId) rows.push(...store.findBy(table, permission.column, parentId));
          } else {
            const childId = referencedId(parentRow[permission.parentColumn!]);
            if (childId) rows.push(...one(childId));
          }
        }
        return rows;
      }
    }
  }
}
