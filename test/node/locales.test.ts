/**
 * The translations: every message extracted into xliff/<locale>.xlf has a translation in German, French, Japanese
 * and Arabic, with exactly the source's placeholders; the generated modules in src/locales/ carry every message of
 * the XLIFF (`npm run localize:build` was run after the last translation), and plain-text messages carry no
 * HTML entities (scripts/localize-build.mjs undoes lit-localize's over-escaping).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import config from '../../lit-localize.json' with { type: 'json' };

interface Unit {
  readonly id: string;
  readonly source: string;
  readonly target: string | null;
}

function units(locale: string): Unit[] {
  const xml = readFileSync(`xliff/${locale}.xlf`, 'utf8');
  return [...xml.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)].map(([, id, body]) => ({
    id: id!,
    source: /<source>([\s\S]*?)<\/source>/.exec(body!)![1]!,
    target: /<target>([\s\S]*?)<\/target>/.exec(body!)?.[1] ?? null,
  }));
}

const placeholders = (text: string) => [...text.matchAll(/<x id="(\d+)"[^>]*\/>/g)].map((m) => m[0]).sort();

describe('translations', () => {
  it('ships German, French, Japanese and Arabic', () => {
    assert.equal(config.sourceLocale, 'en');
    assert.deepEqual([...config.targetLocales].sort(), ['ar', 'de', 'fr', 'ja']);
  });

  for (const locale of config.targetLocales) {
    it(`${locale}: every message is translated, with the source's placeholders`, () => {
      const all = units(locale);
      assert.ok(all.length > 200, `only ${all.length} messages in xliff/${locale}.xlf`);
      const untranslated = all.filter((u) => !u.target?.trim()).map((u) => `${u.id}: ${u.source}`);
      assert.deepEqual(untranslated, []);
      for (const unit of all) assert.deepEqual(placeholders(unit.target!), placeholders(unit.source), `${locale} ${unit.id}`);
      // Translated, not copied: at most a handful of targets may equal their source (names, codes, "Status" in German).
      const same = all.filter((u) => u.target === u.source && /[a-z]{3}/.test(u.source));
      assert.ok(same.length <= 6, `${locale}: ${same.length} messages left in English: ${same.map((u) => u.source).join(' | ')}`);
    });

    it(`${locale}: src/locales/${locale}.ts carries every message, plain text without entities`, () => {
      const module = readFileSync(`src/locales/${locale}.ts`, 'utf8');
      const entries = new Map([...module.matchAll(/'([A-Za-z0-9_.-]+)':\s*(str|html)?`((?:[^`\\]|\\[\s\S])*)`/g)].map((m) => [m[1]!, { tag: m[2], body: m[3]! }]));
      for (const unit of units(locale)) {
        const entry = entries.get(unit.id);
        assert.ok(entry, `${unit.id} is missing from src/locales/${locale}.ts: run npm run localize:build`);
        if (entry.tag !== 'html') assert.doesNotMatch(entry.body, /&(lt|gt|amp|quot|apos);/, `${locale} ${unit.id}`);
      }
      assert.equal(entries.size, units(locale).length, `src/locales/${locale}.ts has messages the XLIFF does not: run npm run localize:build`);
    });
  }
});
