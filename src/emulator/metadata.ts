/**
 * The service document and the CSDL `$metadata` document, generated from the table declarations so that they
 * describe exactly what the emulator serves.
 *
 * Shape follows Dataverse's `$metadata`: one schema `Microsoft.Dynamics.CRM` (alias `mscrm`), an abstract
 * `crmbaseentity`, one `EntityType` per table with its key, its columns as properties (a lookup as the GUID
 * property `_x_value`), single-valued navigation properties (one per lookup target, with a referential
 * constraint) and collection-valued ones, and an `EntityContainer` named `System` with one `EntitySet` per table.
 */
import type { TableDef } from '../tables/schema.js';
import { edmTypeOf, isLookupType } from './odata/model.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The OData service document: the entity sets. */
export function serviceDocument(base: string, tables: Readonly<Record<string, TableDef>>): unknown {
  return {
    '@odata.context': `${base}$metadata`,
    value: Object.values(tables)
      .map((table) => ({ name: table.entitySet, kind: 'EntitySet', url: table.entitySet }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** For a lookup column of `table`, the collection-valued navigation property on the target that mirrors it. */
function partnerOf(
  tables: Readonly<Record<string, TableDef>>,
  table: TableDef,
  column: string,
  target: string,
): string | undefined {
  const targetTable = tables[target];
  if (!targetTable) return undefined;
  for (const [name, collection] of Object.entries(targetTable.collections)) {
    if (collection.table === table.logicalName && collection.referencingColumn === column) return name;
  }
  return undefined;
}

/** The CSDL XML document for the declared tables. */
export function metadataDocument(tables: Readonly<Record<string, TableDef>>): string {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  out('<?xml version="1.0" encoding="utf-8"?>');
  out('<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">');
  out('  <edmx:DataServices>');
  out('    <Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">');
  out('      <EntityType Name="crmbaseentity" Abstract="true" />');

  const sorted = Object.values(tables).sort((a, b) => a.logicalName.localeCompare(b.logicalName));
  for (const table of sorted) {
    out(`      <EntityType Name="${escapeXml(table.logicalName)}" BaseType="mscrm.crmbaseentity">`);
    out(`        <Key><PropertyRef Name="${escapeXml(table.primaryKey)}" /></Key>`);
    const columns = { ...table.columns };
    if (!(table.primaryKey in columns)) columns[table.primaryKey] = { type: 'uniqueidentifier' };
    for (const [name, column] of Object.entries(columns)) {
      const property = isLookupType(column.type) ? `_${name}_value` : name;
      const attributes = [`Name="${escapeXml(property)}"`, `Type="${edmTypeOf(column)}"`];
      if (name === table.primaryKey) attributes.push('Nullable="false"');
      if (column.maxLength !== undefined) attributes.push(`MaxLength="${column.maxLength}"`);
      if ((column.type === 'decimal' || column.type === 'money') && column.precision !== undefined) {
        attributes.push(`Scale="${column.precision}"`);
      }
      out(`        <Property ${attributes.join(' ')} />`);
    }
    for (const [name, column] of Object.entries(table.columns)) {
      if (!isLookupType(column.type) || !column.navigation) continue;
      for (const [target, navigation] of Object.entries(column.navigation)) {
        const targetTable = tables[target];
        if (!targetTable) continue; // a table the emulator does not declare: only `_x_value` is served
        const partner = partnerOf(tables, table, name, target);
        const partnerAttribute = partner ? ` Partner="${escapeXml(partner)}"` : '';
        out(`        <NavigationProperty Name="${escapeXml(navigation)}" Type="mscrm.${escapeXml(target)}"${partnerAttribute}>`);
        out(`          <ReferentialConstraint Property="_${escapeXml(name)}_value" ReferencedProperty="${escapeXml(targetTable.primaryKey)}" />`);
        out('        </NavigationProperty>');
      }
    }
    for (const [name, collection] of Object.entries(table.collections)) {
      const related = tables[collection.table];
      if (!related) continue;
      const column = related.columns[collection.referencingColumn];
      const partner = column?.navigation?.[table.logicalName];
      const partnerAttribute = partner ? ` Partner="${escapeXml(partner)}"` : '';
      out(`        <NavigationProperty Name="${escapeXml(name)}" Type="Collection(mscrm.${escapeXml(collection.table)})"${partnerAttribute} />`);
    }
    out('      </EntityType>');
  }

  out('      <EntityContainer Name="System">');
  for (const table of sorted) {
    out(`        <EntitySet Name="${escapeXml(table.entitySet)}" EntityType="Microsoft.Dynamics.CRM.${escapeXml(table.logicalName)}">`);
    for (const column of Object.values(table.columns)) {
      if (!isLookupType(column.type) || !column.navigation) continue;
      for (const [target, navigation] of Object.entries(column.navigation)) {
        const targetTable = tables[target];
        if (targetTable) out(`          <NavigationPropertyBinding Path="${escapeXml(navigation)}" Target="${escapeXml(targetTable.entitySet)}" />`);
      }
    }
    for (const [name, collection] of Object.entries(table.collections)) {
      const related = tables[collection.table];
      if (related) out(`          <NavigationPropertyBinding Path="${escapeXml(name)}" Target="${escapeXml(related.entitySet)}" />`);
    }
    out('        </EntitySet>');
  }
  out('      </EntityContainer>');
  out('    </Schema>');
  out('  </edmx:DataServices>');
  out('</edmx:Edmx>');
  return lines.join('\n');
}
