// A small rich-text model for ticket bodies, rendered as ADF for Jira Cloud (REST v3) and as wiki markup for
// Jira Data Center (REST v2), so both flavours say exactly the same thing.

export interface Inline {
  text: string;
  strong?: boolean;
  code?: boolean;
  href?: string;
}

export type Block =
  | { type: 'heading'; level: 2 | 3; text: string }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'bullets'; items: Inline[][] }
  | { type: 'table'; header: string[]; rows: string[][] }
  | { type: 'code'; language: string; text: string };

export type Doc = Block[];

// ── ADF (Atlassian Document Format) ────────────────────────────────────────────────────────────────────────

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

function adfText(inline: Inline): AdfNode | undefined {
  if (inline.text === '') return undefined;
  const marks: NonNullable<AdfNode['marks']> = [];
  // ADF allows `code` only with `link`: strong is dropped from code spans.
  if (inline.strong && !inline.code) marks.push({ type: 'strong' });
  if (inline.code) marks.push({ type: 'code' });
  if (inline.href) marks.push({ type: 'link', attrs: { href: inline.href } });
  return marks.length > 0 ? { type: 'text', text: inline.text, marks } : { type: 'text', text: inline.text };
}

function adfParagraph(content: readonly Inline[]): AdfNode {
  return { type: 'paragraph', content: content.flatMap((i) => adfText(i) ?? []) };
}

function adfBlock(block: Block): AdfNode {
  switch (block.type) {
    case 'heading':
      return { type: 'heading', attrs: { level: block.level }, content: [{ type: 'text', text: block.text }] };
    case 'paragraph':
      return adfParagraph(block.content);
    case 'bullets':
      return {
        type: 'bulletList',
        content: block.items.map((item) => ({ type: 'listItem', content: [adfParagraph(item)] })),
      };
    case 'table': {
      const row = (cells: readonly string[], cellType: 'tableHeader' | 'tableCell'): AdfNode => ({
        type: 'tableRow',
        content: cells.map((cell) => ({ type: cellType, attrs: {}, content: [adfParagraph([{ text: cell }])] })),
      });
      return {
        type: 'table',
        attrs: { isNumberColumnEnabled: false, layout: 'default' },
        content: [row(block.header, 'tableHeader'), ...block.rows.map((r) => row(r, 'tableCell'))],
      };
    }
    case 'code':
      return { type: 'codeBlock', attrs: { language: block.language }, content: block.text ? [{ type: 'text', text: block.text }] : [] };
  }
}

export function toAdf(doc: Doc): AdfDoc {
  return { version: 1, type: 'doc', content: doc.map(adfBlock) };
}

// ── Wiki markup (Jira Data Center, REST v2) ────────────────────────────────────────────────────────────────

/** Escapes the characters wiki markup would read as formatting. */
function escapeWiki(text: string): string {
  return text
    .replace(/([\\[\]{}|*_^~+!])/g, '\\$1')
    .replace(/(^|\s)-(?=\S)/g, '$1\\-')
    .replace(/\r?\n/g, ' ');
}

function wikiInline(inline: Inline): string {
  if (inline.text === '') return '';
  let text = inline.code ? `{{${inline.text.replace(/[{}]/g, (c) => `\\${c}`)}}}` : escapeWiki(inline.text);
  // Wiki bold needs its closing `*` right after a non-space character.
  if (inline.strong && !inline.code) text = text.replace(/^(\s*)(.*?)(\s*)$/s, (_, lead: string, body: string, trail: string) => `${lead}*${body}*${trail}`);
  if (inline.href) text = `[${text}|${inline.href}]`;
  return text;
}

function wikiBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `h${block.level}. ${escapeWiki(block.text)}`;
    case 'paragraph':
      return block.content.map(wikiInline).join('');
    case 'bullets':
      return block.items.map((item) => `* ${item.map(wikiInline).join('')}`).join('\n');
    case 'table': {
      const cell = (text: string): string => (text === '' ? ' ' : escapeWiki(text));
      return [
        `||${block.header.map(cell).join('||')}||`,
        ...block.rows.map((row) => `|${row.map(cell).join('|')}|`),
      ].join('\n');
    }
    case 'code':
      return `{code:${block.language}}\n${block.text.replace(/\{code/g, '\\{code')}\n{code}`;
  }
}

export function toWiki(doc: Doc): string {
  return doc.map(wikiBlock).join('\n\n');
}

