// A very small subset of Liquid, enough for the demo's Power Pages look-alike to be written the way a Power Pages
// web template is: `{{ user.id }}`, `{{ user.roles | join: ',' }}`, `{{ request.params.id | escape }}` and
// `{% if user %}…{% elsif page.key == 'orders' %}…{% else %}…{% endif %}` (nested). It is not a Liquid engine:
// no loops, no assignments, no includes — the demo server (demo/server/site.mjs) passes everything in.
//
// One deliberate difference from Liquid: every `{{ … }}` output is HTML-escaped, whatever its filters (Liquid on
// Power Pages only escapes with `| escape`, which the templates still write so they can be pasted into a real site).
// A value wrapped with `raw()` is inserted as it is (the layout's `{{ content }}`, the sign-in options).

/** Marks trusted markup that `{{ … }}` inserts without escaping. */
export function raw(html) {
  return { __raw: String(html) };
}

const escapeHtml = (text) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** `a.b.c` in the context; `undefined` when any step is missing. */
function lookup(context, path) {
  let value = context;
  for (const name of path.split('.')) {
    if (value === null || value === undefined) return undefined;
    value = value[name];
  }
  return value;
}

/** A literal (`'text'`, `"text"`, a number, true/false/nil) or a variable path. */
function evaluate(expression, context) {
  const text = expression.trim();
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'nil' || text === 'null') return null;
  if (!/^[A-Za-z_][\w.]*$/.test(text)) throw new Error(`Liquid subset: cannot read "${text}"`);
  return lookup(context, text);
}

/** Liquid truthiness: everything but nil, false and (here, for convenience) the empty string. */
const truthy = (value) => value !== undefined && value !== null && value !== false && value !== '';

/** `a`, `a == 'x'`, `a != 'x'`, `a and b`, `a or b` (left to right, as Liquid does). */
function condition(text, context) {
  const parts = text.split(/\s+(and|or)\s+/);
  let result = test(parts[0], context);
  for (let i = 1; i < parts.length; i += 2) {
    const next = test(parts[i + 1], context);
    result = parts[i] === 'and' ? result && next : result || next;
  }
  return result;
}

function test(text, context) {
  const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(text.trim());
  if (!comparison) return truthy(evaluate(text, context));
  const left = evaluate(comparison[1], context);
  const right = evaluate(comparison[3], context);
  return comparison[2] === '==' ? left === right : left !== right;
}

const FILTERS = {
  escape: (value) => value,
  join: (value, separator = ' ') => (Array.isArray(value) ? value.join(separator) : value),
  default: (value, fallback) => (truthy(value) ? value : fallback),
  url_escape: (value) => encodeURIComponent(String(value ?? '')),
};

/** `{{ expression | filter: arg | filter }}` → escaped text. */
function output(source, context) {
  const [expression, ...filters] = source.split('|');
  let value = evaluate(expression, context);
  for (const filter of filters) {
    const match = /^\s*(\w+)\s*(?::\s*(.+))?$/.exec(filter);
    const apply = match && FILTERS[match[1]];
    if (!apply) throw new Error(`Liquid subset: unknown filter "${filter.trim()}"`);
    value = apply(value, match[2] === undefined ? undefined : evaluate(match[2], context));
  }
  if (value && typeof value === 'object' && '__raw' in value) return value.__raw;
  return escapeHtml(Array.isArray(value) ? value.join(', ') : value);
}

/** Splits a template into text, `{{ }}` outputs and `{% %}` tags. */
function tokenize(template) {
  const tokens = [];
  const pattern = /{{([\s\S]*?)}}|{%-?\s*([\s\S]*?)\s*-?%}/g;
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    if (match.index > last) tokens.push({ type: 'text', value: template.slice(last, match.index) });
    if (match[1] !== undefined) tokens.push({ type: 'output', value: match[1] });
    else tokens.push({ type: 'tag', value: match[2] });
    last = match.index + match[0].length;
  }
  if (last < template.length) tokens.push({ type: 'text', value: template.slice(last) });
  return tokens;
}

/** Parses tokens into a tree of text, outputs and if-blocks. */
function parse(tokens) {
  const root = [];
  const stack = [{ nodes: root }];
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    if (token.type !== 'tag') {
      top.nodes.push(token);
      continue;
    }
    const [, name, rest = ''] = /^(\w+)\s*([\s\S]*)$/.exec(token.value) ?? [];
    if (name === 'if') {
      const block = { type: 'if', branches: [{ condition: rest, nodes: [] }] };
      top.nodes.push(block);
      stack.push({ block, nodes: block.branches[0].nodes });
    } else if ((name === 'elsif' || name === 'else') && top.block) {
      const branch = { condition: name === 'else' ? null : rest, nodes: [] };
      top.block.branches.push(branch);
      top.nodes = branch.nodes;
    } else if (name === 'endif' && top.block) {
      stack.pop();
    } else if (name === 'comment' || name === 'endcomment') {
      throw new Error('Liquid subset: use HTML comments');
    } else {
      throw new Error(`Liquid subset: unsupported tag {% ${token.value} %}`);
    }
  }
  if (stack.length !== 1) throw new Error('Liquid subset: {% if %} without {% endif %}');
  return root;
}

function renderNodes(nodes, context) {
  let html = '';
  for (const node of nodes) {
    if (node.type === 'text') html += node.value;
    else if (node.type === 'output') html += output(node.value, context);
    else {
      const branch = node.branches.find((b) => b.condition === null || condition(b.condition, context));
      if (branch) html += renderNodes(branch.nodes, context);
    }
  }
  return html;
}

const cache = new Map();

/** Renders `template` (its text) with `context`. Parsed templates are cached by text. */
export function renderLiquid(template, context) {
  let tree = cache.get(template);
  if (!tree) {
    tree = parse(tokenize(template));
    if (cache.size > 50) cache.clear();
    cache.set(template, tree);
  }
  return renderNodes(tree, context);
}
