/**
 * The design tokens: the theme CSS files and the generated sections of docs/theming.md are what
 * scripts/lib/themes.ts generates from src/themes/tokens.ts and custom-elements.json (so they cannot drift), and
 * both themes meet the WCAG 2.2 AA contrast the token list promises.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatedFiles, readManifest, renderParts, staleFiles } from '../../scripts/lib/themes.js';
import { designTokens, themeDeclarations, type ThemeName } from '../../src/themes/tokens.js';

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  assert.ok(match, `${hex} is not #rrggbb`);
  const [r, g, b] = match.slice(1).map((part) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const value = (name: string, theme: ThemeName) => {
  const token = designTokens.find((t) => t.name === name);
  assert.ok(token, `no token ${name}`);
  return token[theme];
};

describe('design tokens', () => {
  it('names every token once, with the --scm- prefix, and documents it', () => {
    const names = designTokens.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const token of designTokens) {
      assert.match(token.name, /^--scm-[a-z0-9-]+$/);
      assert.ok(token.description.length > 10, `${token.name} has no description`);
    }
  });

  it('covers every global token an element reads', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const m of readFileSync(path, 'utf8').matchAll(/var\((--scm-[a-z0-9-]+)/g)) used.add(m[1]!);
        }
      }
    };
    walk('src/elements');
    walk('src/internal');
    const elementLevel = /^--scm-(portal|order-list|order-detail|order-form|account-summary)-/;
    const known = new Set<string>(designTokens.map((t) => t.name));
    const unknown = [...used].filter((name) => !elementLevel.test(name) && !known.has(name));
    assert.deepEqual(unknown, [], 'global tokens read by an element but missing from src/themes/tokens.ts');
  });

  it('themes declare every themed token, and color-scheme', () => {
    for (const theme of ['light', 'dark'] as const) {
      const css = themeDeclarations(theme);
      for (const token of designTokens.filter((t) => t.themed)) assert.ok(css.includes(`${token.name}: ${token[theme]};`), `${theme}: ${token.name}`);
      assert.ok(css.includes(`color-scheme: ${theme};`));
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: text, links, status colours and buttons meet WCAG AA contrast`, () => {
      const text = ['--scm-color-text', '--scm-color-text-muted'];
      const onSurface = ['--scm-color-primary', '--scm-color-danger', '--scm-color-success', '--scm-color-warning'];
      for (const background of ['--scm-color-background', '--scm-color-surface', '--scm-color-surface-muted']) {
        for (const foreground of text) {
          const ratio = contrast(value(foreground, theme), value(background, theme));
          assert.ok(ratio >= 4.5, `${foreground} on ${background}: ${ratio.toFixed(2)}`);
        }
      }
      for (const foreground of onSurface) {
        const ratio = contrast(value(foreground, theme), value('--scm-color-surface', theme));
        assert.ok(ratio >= 4.5, `${foreground} on the surface: ${ratio.toFixed(2)}`);
      }
      const button = contrast(value('--scm-color-on-primary', theme), value('--scm-color-primary', theme));
      assert.ok(button >= 4.5, `on-primary on primary: ${button.toFixed(2)}`);
      const focus = contrast(value('--scm-color-focus', theme), value('--scm-color-surface', theme));
      assert.ok(focus >= 3, `focus ring on the surface: ${focus.toFixed(2)}`);
    });
  }

  it('the theme CSS files and docs/theming.md are up to date (node --import tsx scripts/themes.mjs --write)', () => {
    assert.deepEqual(staleFiles(generatedFiles()), []);
  });

  it('docs/theming.md lists every part of every element of custom-elements.json', () => {
    const manifest = readManifest();
    const parts = renderParts(manifest);
    let count = 0;
    for (const module of manifest.modules) {
      for (const declaration of module.declarations ?? []) {
        for (const part of (declaration as { cssParts?: { name: string }[] }).cssParts ?? []) {
          assert.ok(parts.includes(`\`::part(${part.name})\``), part.name);
          count++;
        }
      }
    }
    assert.ok(count > 50, `only ${count} parts in the manifest`);
  });
});
