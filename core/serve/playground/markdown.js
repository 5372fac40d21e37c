/**
 * A markdown subset rendered with DOM nodes, never as HTML: headings, paragraphs, lists, fenced code,
 * pipe tables, and inline code, bold, italics and links (http, https and relative only). Every piece of
 * the card's text becomes a text node, so HTML written in a card shows as text and cannot run.
 */

/** Renders `markdown` into a DocumentFragment. */
export function renderMarkdown(markdown) {
  const out = document.createDocumentFragment();
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      i++;
      const pre = el('pre');
      pre.append(el('code', code.join('\n')));
      out.append(pre);
    } else if (/^#{1,6} /.test(line)) {
      const level = /^#+/.exec(line)[0].length;
      // The page has its own h1 and h2: a card's headings start at h3.
      out.append(inline(el(`h${Math.min(6, level + 2)}`), line.slice(level + 1)));
      i++;
    } else if (/^\s*([-*+]|\d+\.) /.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const list = el(ordered ? 'ol' : 'ul');
      while (i < lines.length && lines[i].trim() !== '' && !lines[i].startsWith('```')) {
        const item = /^\s*(?:[-*+]|\d+\.) (.*)$/.exec(lines[i]);
        if (item) list.append(inline(el('li'), item[1]));
        else if (list.lastChild) inline(list.lastChild, ` ${lines[i].trim()}`);
        i++;
      }
      out.append(list);
    } else if (line.startsWith('|') && i + 1 < lines.length && /^\|?[\s:|-]+\|?$/.test(lines[i + 1])) {
      const table = el('table');
      const head = el('thead');
      head.append(row(lines[i], 'th'));
      table.append(head);
      const body = el('tbody');
      for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) body.append(row(lines[i], 'td'));
      table.append(body);
      out.append(table);
    } else {
      const text = [];
      for (; i < lines.length && lines[i].trim() !== '' && !isBlockStart(lines[i]); i++) text.push(lines[i]);
      out.append(inline(el('p'), text.join(' ')));
    }
  }
  return out;
}

function isBlockStart(line) {
  return line.startsWith('```') || /^#{1,6} /.test(line) || /^\s*([-*+]|\d+\.) /.test(line) || line.startsWith('|');
}

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

function row(line, cellTag) {
  const tr = el('tr');
  const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
  for (const cell of cells) tr.append(inline(el(cellTag), cell.trim()));
  return tr;
}

/** Inline code, bold, italics and links, appended to `parent` as elements holding text nodes. */
const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(parent, text) {
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    parent.append(document.createTextNode(text.slice(at, m.index)));
    if (m[1] !== undefined) parent.append(el('code', m[1]));
    else if (m[2] !== undefined) parent.append(el('strong', m[2]));
    else if (m[3] !== undefined) parent.append(el('em', m[3]));
    else parent.append(link(m[4], m[5]));
    at = m.index + m[0].length;
  }
  parent.append(document.createTextNode(text.slice(at)));
  return parent;
}

/** A link only for web addresses; anything else (javascript:, data:) stays text. */
function link(text, href) {
  const url = new URL(href, 'https://example.invalid/');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return document.createTextNode(text);
  if (url.origin === 'https://example.invalid') return el('span', text);
  const a = el('a', text);
  a.href = url.href;
  a.rel = 'noopener noreferrer';
  return a;
}
